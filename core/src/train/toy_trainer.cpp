// The toy-world trainer: VAE stage, then text encoder + UNet on epsilon prediction; resumable; diffusers export.
#include "invseg/train_toy.h"

#include "invseg/error.h"
#include "invseg/image.h"
#include "invseg/nn/clip_text_model.h"
#include "invseg/nn/unet.h"
#include "invseg/nn/vae.h"
#include "invseg/noise_schedule.h"
#include "invseg/sd_model.h"
#include "invseg/tokenizer.h"
#include "invseg/toy_world.h"
#include "train/diffusers_export.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace invseg::train {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t kLatentChannels = 4;
constexpr int64_t kContext = 77;

void check(bool ok, const std::string& what)
{
    if (!ok)
        throw Error(ErrorKind::InvalidInput, "training options: " + what);
}

void validate(const ToyTrainOptions& o)
{
    check(!o.outDir.empty(), "no output folder");
    const int64_t f = int64_t(1) << (o.vaeChannels.size() - 1);
    check(!o.vaeChannels.empty() && o.vaeChannels.size() <= 6, "vae channels: 1 to 6 levels");
    check(o.size >= toy::kMinSceneSize && o.size <= 1024 && o.size % f == 0,
          "size must be in 32..1024 and a multiple of " + std::to_string(f));
    const int64_t latent = o.size / f;
    const int64_t g = int64_t(1) << (o.unetChannels.size() - 1);
    check(o.unetChannels.size() >= 2 && latent % g == 0,
          "the latent size " + std::to_string(latent) + " must be a multiple of " + std::to_string(g));
    check(o.vaeSteps >= 0 && o.steps >= 0, "steps must be >= 0");
    check(o.vaeBatch >= 1 && o.batch >= 1, "batch must be >= 1");
    check(o.lr > 0 && o.vaeLr > 0, "learning rates must be > 0");
    check(o.latentPool >= 1, "latent pool must be >= 1");
    check(o.captionDropout >= 0 && o.classPromptFraction >= 0 && o.captionDropout + o.classPromptFraction <= 1,
          "caption dropout and class-prompt fraction must be >= 0 and sum to at most 1");
    check(o.textWidth % o.textHeads == 0, "text width must be divisible by the text heads");
    check(static_cast<uint64_t>(o.latentPool) <= toy::splitRange(toy::Split::Train).second / 2,
          "latent pool too large");
}

UNetConfig unetConfig(const ToyTrainOptions& o)
{
    UNetConfig c;
    c.blockOutChannels = o.unetChannels;
    const size_t n = o.unetChannels.size();
    c.numHeads.assign(n, o.unetHeads);
    c.crossAttnDown.assign(n, true);
    c.crossAttnDown.back() = false;
    c.layersPerBlock = o.unetLayersPerBlock;
    c.crossAttentionDim = o.textWidth;
    c.normNumGroups = 32;
    c.sampleSize = o.size / (int64_t(1) << (o.vaeChannels.size() - 1));
    return c;
}

VaeConfig vaeConfig(const ToyTrainOptions& o)
{
    VaeConfig c;
    c.blockOutChannels = o.vaeChannels;
    c.layersPerBlock = o.vaeLayersPerBlock;
    c.latentChannels = kLatentChannels;
    c.normNumGroups = 32;
    c.sampleSize = o.size;
    return c;
}

TextEncoderConfig textConfig(const ToyTrainOptions& o)
{
    TextEncoderConfig c;
    c.hiddenSize = o.textWidth;
    c.intermediateSize = 4 * o.textWidth;
    c.numHeads = o.textHeads;
    c.numLayers = o.textLayers;
    return c;
}

/// Train-split seeds: stage 1 draws fresh scenes from the upper half, stage 2 reuses the pool [0, latentPool).
uint64_t vaeSceneSeed(uint64_t seed, int64_t step, int64_t b, int64_t batch)
{
    const uint64_t half = toy::splitRange(toy::Split::Train).second / 2;
    return half + (seed * 7919u + static_cast<uint64_t>(step * batch + b)) % half;
}

/// The prompt InvSeg's default template builds for the scene's classes (in class-id order, as `invseg evaluate`
/// lists them): "a photograph of sky and grass and ball and background".
std::string classPrompt(const toy::Scene& scene)
{
    std::string s = "a photograph of ";
    for (int c : scene.presentClasses)
        s += toy::classNames()[static_cast<size_t>(c)] + " and ";
    return s + "background";
}

/// [B, 3, H, W] float in [-1, 1] from scenes.
torch::Tensor scenesToTensor(const std::vector<toy::Scene>& scenes)
{
    const int64_t b = static_cast<int64_t>(scenes.size());
    const int64_t h = scenes[0].height, w = scenes[0].width;
    auto out = torch::empty({b, h, w, 3}, torch::kUInt8);
    for (int64_t i = 0; i < b; ++i)
        std::memcpy(out[i].data_ptr<uint8_t>(), scenes[static_cast<size_t>(i)].rgb.data(), static_cast<size_t>(h * w * 3));
    return out.permute({0, 3, 1, 2}).to(torch::kFloat).div(127.5).sub(1.0).contiguous();
}

double lrAt(double base, int64_t step, int64_t warmup, int64_t total)
{
    if (warmup > 0 && step < warmup)
        return base * double(step + 1) / double(warmup);
    if (total <= warmup)
        return base;
    // cosine to 10 % of the base rate
    const double p = std::min(1.0, double(step - warmup) / double(total - warmup));
    return base * (0.1 + 0.9 * 0.5 * (1.0 + std::cos(M_PI * p)));
}

void setLr(torch::optim::AdamW& opt, double lr)
{
    for (auto& g : opt.param_groups())
        static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
}

/// What a checkpoint says about the run.
struct RunState {
    std::string stage = "vae"; ///< "vae", "unet" (stage 1 done), "done"
    int64_t vaeStep = 0;
    int64_t unetStep = 0;
    double scalingFactor = 0;
    double vaeLoss = 0;
};

void writeState(const fs::path& path, const RunState& s)
{
    std::ostringstream o;
    o << std::setprecision(17) << "stage " << s.stage << "\nvae_step " << s.vaeStep << "\nunet_step " << s.unetStep
      << "\nscaling_factor " << s.scalingFactor << "\nvae_loss " << s.vaeLoss << "\n";
    writeTextAtomic(path.string(), o.str());
}

RunState readState(const fs::path& path)
{
    std::ifstream f(path);
    if (!f)
        throw Error(ErrorKind::Io, path.string() + ": cannot read");
    RunState s;
    std::string key;
    while (f >> key) {
        if (key == "stage")
            f >> s.stage;
        else if (key == "vae_step")
            f >> s.vaeStep;
        else if (key == "unet_step")
            f >> s.unetStep;
        else if (key == "scaling_factor")
            f >> s.scalingFactor;
        else if (key == "vae_loss")
            f >> s.vaeLoss;
        else
            throw Error(ErrorKind::Format, path.string() + ": unknown key '" + key + "'");
    }
    if (s.stage != "vae" && s.stage != "unet" && s.stage != "done")
        throw Error(ErrorKind::Format, path.string() + ": unknown stage '" + s.stage + "'");
    return s;
}

/// The trainer's state for one call.
class Run {
public:
    Run(const ToyTrainOptions& o, const ToyTrainCallbacks& cb)
        : m_o(o), m_cb(cb), m_device(parseDevice(o.device)), m_unetCfg(unetConfig(o)), m_vaeCfg(vaeConfig(o)),
          m_textCfg(textConfig(o)), m_root(o.outDir), m_ckpt(m_root / "checkpoint"), m_start(Clock::now())
    {
        torch::manual_seed(static_cast<int64_t>(o.seed));
        m_vae = nn::AutoencoderKL(m_vaeCfg);
        m_unet = nn::UNet2DConditionModel(m_unetCfg);
        m_text = nn::ClipTextModel(m_textCfg);
        m_vae->to(m_device);
        m_unet->to(m_device);
        m_text->to(m_device);
        m_vaeOpt = std::make_unique<torch::optim::AdamW>(
            m_vae->parameters(), torch::optim::AdamWOptions(o.vaeLr).weight_decay(0.0));
        auto params = m_unet->parameters();
        for (auto& p : m_text->parameters())
            params.push_back(p);
        m_opt = std::make_unique<torch::optim::AdamW>(
            params, torch::optim::AdamWOptions(o.lr).weight_decay(o.weightDecay).betas({0.9, 0.999}));
    }

    ToyTrainResult run()
    {
        std::error_code ec;
        fs::create_directories(m_root, ec);
        if (ec)
            throw Error(ErrorKind::Io, m_root.string() + ": cannot create (" + ec.message() + ")");
        if (m_o.resume)
            tryResume();
        else
            rewriteLog(-1, -1);

        if (m_state.stage == "vae") {
            trainVae();
            if (m_state.stage == "vae")
                return finish(false);
        }
        buildLatentPool();
        trainUnet();
        const bool done = m_state.unetStep >= m_o.steps;
        if (done)
            m_state.stage = "done";
        return finish(done);
    }

private:
    void message(const std::string& s)
    {
        if (m_cb.onMessage)
            m_cb.onMessage(s);
    }

    bool stopped()
    {
        if (m_cb.cancel && m_cb.cancel->load())
            return true;
        if (m_o.maxMinutes > 0 && elapsed() > m_o.maxMinutes * 60.0) {
            m_timeUp = true;
            return true;
        }
        return false;
    }

    double elapsed() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

    static double meanLast(const std::deque<double>& v)
    {
        if (v.empty())
            return 0;
        double s = 0;
        for (double x : v)
            s += x;
        return s / double(v.size());
    }

    // ---- loss log ----
    /// Keeps the rows of loss.csv that a checkpoint at (vaeStep, unetStep) covers; -1, -1 starts a new log.
    void rewriteLog(int64_t vaeStep, int64_t unetStep)
    {
        const fs::path log = m_root / "loss.csv";
        std::string kept = "stage,step,loss,lr,seconds\n";
        if (vaeStep >= 0) {
            std::ifstream in(log);
            std::string line;
            std::getline(in, line); // header
            while (std::getline(in, line)) {
                std::istringstream ls(line);
                std::string stage, step;
                std::getline(ls, stage, ',');
                std::getline(ls, step, ',');
                if (step.empty())
                    continue;
                const int64_t s = std::stoll(step);
                if ((stage == "vae" && s <= vaeStep) || (stage == "unet" && s <= unetStep)) {
                    kept += line + "\n";
                    if (stage == "unet" && m_firstUnet.size() < 50) {
                        std::string loss;
                        std::getline(ls, loss, ',');
                        m_firstUnet.push_back(std::stod(loss));
                    }
                }
            }
        }
        writeTextAtomic(log.string(), kept);
        m_log.open(log, std::ios::app);
        if (!m_log)
            throw Error(ErrorKind::Io, log.string() + ": cannot append");
    }

    void logRow(const char* stage, int64_t step, double loss, double lr)
    {
        m_log << stage << ',' << step << ',' << std::setprecision(6) << loss << ',' << lr << ','
              << std::setprecision(1) << std::fixed << elapsed() << std::defaultfloat << '\n';
        m_log.flush(); // so the log can be watched; rows past the last checkpoint are dropped on resume
    }

    // ---- checkpoints ----
    template <typename T>
    static void saveTo(const T& obj, const fs::path& path)
    {
        torch::save(obj, path.string());
    }

    void saveCheckpoint()
    {
        const fs::path tmp = m_root / "checkpoint.tmp";
        const fs::path old = m_root / "checkpoint.old";
        std::error_code ec;
        fs::remove_all(tmp, ec);
        fs::create_directories(tmp, ec);
        if (ec)
            throw Error(ErrorKind::Io, tmp.string() + ": cannot create");
        try {
            torch::save(m_vae, (tmp / "vae.pt").string());
            torch::save(*m_vaeOpt, (tmp / "vae_opt.pt").string());
            torch::save(m_unet, (tmp / "unet.pt").string());
            torch::save(m_text, (tmp / "text.pt").string());
            torch::save(*m_opt, (tmp / "opt.pt").string());
        } catch (const c10::Error& e) {
            throw Error(ErrorKind::Io, tmp.string() + ": cannot save the checkpoint (" + e.what_without_backtrace() + ")");
        }
        if (m_mean.defined()) {
            // the stage-2 latent pool, so that a resume does not encode it again (minutes on a CPU)
            torch::save(std::vector<torch::Tensor>{m_mean.cpu(), m_std.cpu()}, (tmp / "latents.pt").string());
        }
        writeState(tmp / "state.txt", m_state);
        m_log.flush();
        // checkpoint -> checkpoint.old, checkpoint.tmp -> checkpoint: a crash leaves one complete set behind.
        fs::remove_all(old, ec);
        if (fs::exists(m_ckpt))
            fs::rename(m_ckpt, old, ec);
        fs::rename(tmp, m_ckpt, ec);
        if (ec)
            throw Error(ErrorKind::Io, m_ckpt.string() + ": cannot move the checkpoint into place");
        fs::remove_all(old, ec);
        message("checkpoint saved (" + m_state.stage + ", vae step " + std::to_string(m_state.vaeStep) +
                ", unet step " + std::to_string(m_state.unetStep) + ")");
    }

    void tryResume()
    {
        fs::path dir = m_ckpt;
        if (!fs::exists(dir / "state.txt") && fs::exists(m_root / "checkpoint.old" / "state.txt"))
            dir = m_root / "checkpoint.old";
        if (!fs::exists(dir / "state.txt")) {
            message("no checkpoint in " + m_root.string() + ": starting from scratch");
            rewriteLog(-1, -1);
            return;
        }
        m_state = readState(dir / "state.txt");
        m_resumedFrom = dir;
        try {
            torch::load(m_vae, (dir / "vae.pt").string(), m_device);
            torch::load(*m_vaeOpt, (dir / "vae_opt.pt").string(), m_device);
            torch::load(m_unet, (dir / "unet.pt").string(), m_device);
            torch::load(m_text, (dir / "text.pt").string(), m_device);
            torch::load(*m_opt, (dir / "opt.pt").string(), m_device);
        } catch (const c10::Error& e) {
            throw Error(ErrorKind::Format, dir.string() + ": cannot load the checkpoint (" +
                                               e.what_without_backtrace() + "); was it written with other options?");
        }
        rewriteLog(m_state.vaeStep, m_state.unetStep);
        message("resumed from " + dir.string() + " (" + m_state.stage + ", vae step " +
                std::to_string(m_state.vaeStep) + ", unet step " + std::to_string(m_state.unetStep) + ")");
    }

    void progress(const char* stage, int64_t step, int64_t total, double loss, double& smooth, Clock::time_point t0,
                  int64_t firstStep)
    {
        smooth = (step - firstStep <= 1) ? loss : 0.95 * smooth + 0.05 * loss;
        if (!m_cb.onProgress)
            return;
        ToyTrainProgress p;
        p.stage = stage;
        p.step = step;
        p.total = total;
        p.loss = loss;
        p.smoothLoss = smooth;
        const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
        p.itPerSec = dt > 0 ? double(step - firstStep) / dt : 0;
        p.etaSeconds = p.itPerSec > 0 ? double(total - step) / p.itPerSec : 0;
        m_cb.onProgress(p);
    }

    // ---- stage 1 ----
    void trainVae()
    {
        m_vae->train();
        const int64_t first = m_state.vaeStep;
        if (first < m_o.vaeSteps)
            message("stage 1: VAE, steps " + std::to_string(first) + " -> " + std::to_string(m_o.vaeSteps));
        const auto t0 = Clock::now();
        double smooth = 0;
        for (int64_t step = first; step < m_o.vaeSteps; ++step) {
            torch::manual_seed(static_cast<int64_t>(m_o.seed * 1000003u + 17u + static_cast<uint64_t>(step)));
            std::vector<toy::Scene> scenes;
            for (int64_t b = 0; b < m_o.vaeBatch; ++b)
                scenes.push_back(toy::generateScene(vaeSceneSeed(m_o.seed, step, b, m_o.vaeBatch), m_o.size));
            auto x = scenesToTensor(scenes).to(m_device);
            const double lr = lrAt(m_o.vaeLr, step, std::min<int64_t>(50, m_o.vaeSteps / 10), m_o.vaeSteps);
            setLr(*m_vaeOpt, lr);
            auto post = m_vae->encode(x);
            auto z = post.mean + torch::exp(0.5 * post.logvar) * torch::randn_like(post.mean);
            auto rec = m_vae->decode(z);
            auto diff = rec - x;
            auto kl = 0.5 * (post.mean.pow(2) + post.logvar.exp() - 1.0 - post.logvar);
            auto loss = diff.abs().mean() + diff.pow(2).mean() + m_o.klWeight * kl.mean();
            m_vaeOpt->zero_grad();
            loss.backward();
            torch::nn::utils::clip_grad_norm_(m_vae->parameters(), 1.0);
            m_vaeOpt->step();
            const double l = loss.item<double>();
            m_vaeLosses.push_back(l);
            if (m_vaeLosses.size() > 50)
                m_vaeLosses.pop_front();
            m_state.vaeStep = step + 1;
            logRow("vae", step + 1, l, lr);
            progress("vae", step + 1, m_o.vaeSteps, l, smooth, t0, first);
            const bool last = step + 1 == m_o.vaeSteps;
            if (last) {
                m_state.stage = "unet";
                m_state.vaeLoss = meanLast(m_vaeLosses);
            }
            if (last || (m_o.saveEvery > 0 && (step + 1) % m_o.saveEvery == 0) || stopped()) {
                saveCheckpoint();
                if (!last && stopped())
                    return;
            }
        }
        if (m_o.vaeSteps == 0 || first >= m_o.vaeSteps)
            m_state.stage = "unet";
    }

    // ---- between the stages ----
    void buildLatentPool()
    {
        torch::NoGradGuard noGrad;
        m_vae->eval();
        const auto& tok = ClipTokenizer::bundled();
        const int64_t n = m_o.latentPool;
        message("encoding " + std::to_string(n) + " train scenes (seeds 0.." + std::to_string(n - 1) + ")");
        std::vector<torch::Tensor> means, stds, cached;
        if (!m_resumedFrom.empty() && fs::exists(m_resumedFrom / "latents.pt")) {
            try {
                torch::load(cached, (m_resumedFrom / "latents.pt").string());
            } catch (const c10::Error&) {
                cached.clear();
            }
            if (cached.size() != 2 || cached[0].size(0) != n)
                cached.clear();
            else
                message("latent pool read from " + (m_resumedFrom / "latents.pt").string());
        }
        m_ids = torch::empty({n, kContext}, torch::kLong);
        m_classIds = torch::empty({n, kContext}, torch::kLong);
        const int64_t chunk = 32;
        const auto t0 = Clock::now();
        double smooth = 0;
        for (int64_t s = 0; s < n; s += chunk) {
            std::vector<toy::Scene> scenes;
            for (int64_t i = s; i < std::min(n, s + chunk); ++i) {
                scenes.push_back(toy::generateScene(static_cast<uint64_t>(i), m_o.size));
                const auto ids = tok.encodePadded(scenes.back().caption, m_textCfg.padTokenId, kContext);
                std::memcpy(m_ids[i].data_ptr<int64_t>(), ids.data(), sizeof(int64_t) * kContext);
                const auto cls = tok.encodePadded(classPrompt(scenes.back()), m_textCfg.padTokenId, kContext);
                std::memcpy(m_classIds[i].data_ptr<int64_t>(), cls.data(), sizeof(int64_t) * kContext);
            }
            if (cached.empty()) {
                auto post = m_vae->encode(scenesToTensor(scenes).to(m_device));
                means.push_back(post.mean.to(torch::kFloat));
                stds.push_back(torch::exp(0.5 * post.logvar).to(torch::kFloat));
            }
            progress("encode", std::min(n, s + chunk), n, 0, smooth, t0, 0);
        }
        m_mean = cached.empty() ? torch::cat(means) : cached[0].to(m_device);
        m_std = cached.empty() ? torch::cat(stds) : cached[1].to(m_device);
        m_ids = m_ids.to(m_device);
        m_classIds = m_classIds.to(m_device);
        const auto empty = tok.encodePadded("", m_textCfg.padTokenId, kContext);
        m_emptyIds = torch::tensor(empty, torch::kLong).to(m_device).unsqueeze(0);
        if (m_state.scalingFactor <= 0) {
            // 1 / std of the latents the UNet will see, as SD's 0.18215 was chosen.
            const double sd = m_mean.std().item<double>();
            m_state.scalingFactor = sd > 1e-8 ? 1.0 / sd : 1.0;
        }
        m_vaeCfg.scalingFactor = m_state.scalingFactor;
        message("scaling_factor = " + std::to_string(m_state.scalingFactor));
    }

    // ---- stage 2 ----
    void trainUnet()
    {
        m_unet->train();
        m_text->train();
        NoiseSchedule schedule{SchedulerConfig{}};
        const int64_t first = m_state.unetStep;
        if (first < m_o.steps)
            message("stage 2: text encoder + UNet, steps " + std::to_string(first) + " -> " +
                    std::to_string(m_o.steps));
        const auto t0 = Clock::now();
        double smooth = 0;
        const float scale = static_cast<float>(m_state.scalingFactor);
        for (int64_t step = first; step < m_o.steps; ++step) {
            if (stopped() || (m_o.stopAtStep > 0 && step >= m_o.stopAtStep)) {
                saveCheckpoint();
                return;
            }
            torch::manual_seed(static_cast<int64_t>(m_o.seed * 1000003u + 1000000007u + static_cast<uint64_t>(step)));
            auto idx = torch::randint(m_o.latentPool, {m_o.batch}, torch::kLong).to(m_device);
            auto mean = m_mean.index_select(0, idx), sd = m_std.index_select(0, idx);
            auto z0 = (mean + sd * torch::randn_like(mean)) * scale;
            // one uniform per item: [0, dropout) empty prompt, then the class-list prompt, else the caption
            auto u = torch::rand({m_o.batch}).to(m_device).unsqueeze(1);
            auto ids = m_ids.index_select(0, idx);
            ids = torch::where(u < m_o.captionDropout + m_o.classPromptFraction, m_classIds.index_select(0, idx), ids);
            ids = torch::where(u < m_o.captionDropout, m_emptyIds.expand_as(ids), ids);
            auto t = torch::randint(schedule.numTrainTimesteps(), {m_o.batch}, torch::kLong).to(m_device);
            auto noise = torch::randn_like(z0);
            auto zt = schedule.addNoise(z0, noise, t);
            const double lr = lrAt(m_o.lr, step, m_o.warmupSteps, m_o.steps);
            setLr(*m_opt, lr);
            auto cond = m_text->forward(ids);
            auto pred = m_unet->forward(zt, t, cond);
            auto loss = torch::mse_loss(pred, noise);
            m_opt->zero_grad();
            loss.backward();
            std::vector<torch::Tensor> params = m_unet->parameters();
            for (auto& p : m_text->parameters())
                params.push_back(p);
            torch::nn::utils::clip_grad_norm_(params, 1.0);
            m_opt->step();
            const double l = loss.item<double>();
            m_unetLosses.push_back(l);
            if (m_unetLosses.size() > 50)
                m_unetLosses.pop_front();
            if (m_firstUnet.size() < 50)
                m_firstUnet.push_back(l);
            m_state.unetStep = step + 1;
            logRow("unet", step + 1, l, lr);
            progress("unet", step + 1, m_o.steps, l, smooth, t0, first);
            if (step + 1 == m_o.steps || (m_o.saveEvery > 0 && (step + 1) % m_o.saveEvery == 0))
                saveCheckpoint();
        }
    }

    // ---- export ----
    ToyTrainResult finish(bool finished)
    {
        m_log.flush();
        ToyTrainResult r;
        r.vaeSteps = m_state.vaeStep;
        r.unetSteps = m_state.unetStep;
        r.vaeLoss = m_vaeLosses.empty() ? m_state.vaeLoss : meanLast(m_vaeLosses);
        r.unetLoss = meanLast(m_unetLosses);
        r.firstUnetLoss = meanLast(std::deque<double>(m_firstUnet.begin(), m_firstUnet.end()));
        r.scalingFactor = m_state.scalingFactor;
        r.finished = finished;
        if (m_state.stage == "vae") {
            message("stopped during stage 1: nothing exported (resume with --resume)");
            r.seconds = elapsed();
            return r;
        }
        if (m_state.unetStep > 0 && m_unetLosses.empty())
            r.unetLoss = lastLoggedUnetLoss();
        torch::NoGradGuard noGrad;
        m_vaeCfg.scalingFactor = m_state.scalingFactor;
        r.modelBytes = writeDiffusersFolder(m_root.string(), m_unetCfg, *m_unet, m_vaeCfg, *m_vae, m_textCfg, *m_text,
                                            m_o.fp16);
        r.seconds = elapsed();
        writeModelCard(r);
        message(std::string("exported ") + (finished ? "the finished model" : "a PARTIAL model") + " to " +
                m_root.string());
        return r;
    }

    double lastLoggedUnetLoss()
    {
        std::ifstream in(m_root / "loss.csv");
        std::string line;
        std::deque<double> last;
        while (std::getline(in, line)) {
            if (line.rfind("unet,", 0) != 0)
                continue;
            std::istringstream ls(line);
            std::string a, b, c;
            std::getline(ls, a, ',');
            std::getline(ls, b, ',');
            std::getline(ls, c, ',');
            last.push_back(std::stod(c));
            if (last.size() > 50)
                last.pop_front();
        }
        return meanLast(last);
    }

    static std::string list(const std::vector<int64_t>& v)
    {
        std::string s = "[";
        for (size_t i = 0; i < v.size(); ++i)
            s += (i ? ", " : "") + std::to_string(v[i]);
        return s + "]";
    }

    void writeModelCard(const ToyTrainResult& r)
    {
        auto count = [](const torch::nn::Module& m) {
            int64_t n = 0;
            for (const auto& p : m.parameters())
                n += p.numel();
            return n;
        };
        std::ostringstream o;
        o << std::setprecision(4);
        o << "# InvSeg toy model\n\n"
          << "A small Stable-Diffusion-architecture model (CLIP text encoder, UNet2DConditionModel, AutoencoderKL in "
             "the diffusers layout) trained from scratch on the procedural toy world (invseg::toy, generator version "
          << toy::kGeneratorVersion << ", train-split seeds only) by `invseg-train-toy`.\n\n";
        if (!r.finished)
            o << "**PARTIAL: training stopped at UNet step " << r.unetSteps << " of " << m_o.steps
              << " (time limit, --stop-at or cancel); these are the weights of that step. To repeat it exactly, run "
                 "the recipe below without --max-minutes and with --stop-at "
              << r.unetSteps << ".**\n\n";
        o << "## Recipe\n\n```\n" << (m_o.commandLine.empty() ? "(not recorded)" : m_o.commandLine) << "\n```\n\n"
          << "- git commit: " << (m_o.gitCommit.empty() ? "unknown" : m_o.gitCommit) << "\n"
          << "- toy generator version: " << toy::kGeneratorVersion << "\n"
          << "- seed: " << m_o.seed << ", device: " << m_o.device << ", scenes " << m_o.size << "x" << m_o.size
          << " (latent " << m_unetCfg.sampleSize << "x" << m_unetCfg.sampleSize << "x4)\n"
          << "- stage 1 (VAE): " << r.vaeSteps << " steps, batch " << m_o.vaeBatch << ", AdamW lr " << m_o.vaeLr
          << ", loss L1 + L2 + " << m_o.klWeight << " KL, fresh train scenes (seeds from 5e8 up)\n"
          << "- stage 2 (text encoder + UNet): " << r.unetSteps << " of " << m_o.steps << " steps, batch " << m_o.batch
          << ", AdamW lr " << m_o.lr << " (warm-up " << m_o.warmupSteps << ", cosine to 10 %), weight decay "
          << m_o.weightDecay << ", epsilon prediction, caption dropout " << m_o.captionDropout
          << ", class-list prompt (\"a photograph of sky and grass and ball and background\", InvSeg's default "
             "template) for a fraction " << m_o.classPromptFraction << " of the items, the caption otherwise, latents of "
          << m_o.latentPool << " train scenes (seeds 0.." << m_o.latentPool - 1 << "), sampled from the posterior\n"
          << "- scaling_factor: " << r.scalingFactor << " (1 / std of the pool's latent means)\n\n"
          << "## Final losses (mean of the last 50 steps)\n\n"
          << "- VAE: " << r.vaeLoss << "\n"
          << "- UNet epsilon MSE: " << r.unetLoss << " (first 50 steps: " << r.firstUnetLoss << ")\n"
          << "- full log: loss.csv\n\n"
          << "## Architecture\n\n"
          << "- UNet: block_out_channels " << list(m_unetCfg.blockOutChannels) << ", layers_per_block "
          << m_unetCfg.layersPerBlock << ", " << m_o.unetHeads
          << " heads, cross-attention at every level but the lowest (latent " << m_unetCfg.sampleSize << ", "
          << m_unetCfg.sampleSize / 2 << ", " << m_unetCfg.sampleSize / 4 << ", ...), " << count(*m_unet)
          << " parameters, stored " << (m_o.fp16 ? "fp16" : "fp32") << "\n"
          << "- text encoder: CLIP, width " << m_textCfg.hiddenSize << ", " << m_textCfg.numLayers << " layers, "
          << m_textCfg.numHeads << " heads, CLIP BPE vocabulary (bundled), " << count(*m_text) << " parameters, stored "
          << (m_o.fp16 ? "fp16" : "fp32") << "\n"
          << "- VAE: block_out_channels " << list(m_vaeCfg.blockOutChannels) << ", layers_per_block "
          << m_vaeCfg.layersPerBlock << ", 4 latent channels, " << count(*m_vae) << " parameters, stored fp32\n"
          << "- weights: " << r.modelBytes << " bytes\n\n"
          << "## Limits\n\n"
          << "Trained briefly; cross-attention maps of such a model localise stuff classes (sky, water, grass) far "
             "better than things. Use it to exercise the pipeline, not to judge the method.\n";
        writeTextAtomic((m_root / "MODEL_CARD.md").string(), o.str());
    }

    ToyTrainOptions m_o;
    ToyTrainCallbacks m_cb;
    torch::Device m_device;
    UNetConfig m_unetCfg;
    VaeConfig m_vaeCfg;
    TextEncoderConfig m_textCfg;
    fs::path m_root, m_ckpt;
    fs::path m_resumedFrom; ///< the checkpoint folder this run resumed from, if any
    Clock::time_point m_start;
    RunState m_state;
    bool m_timeUp = false;
    nn::AutoencoderKL m_vae{nullptr};
    nn::UNet2DConditionModel m_unet{nullptr};
    nn::ClipTextModel m_text{nullptr};
    std::unique_ptr<torch::optim::AdamW> m_vaeOpt, m_opt;
    std::ofstream m_log;
    std::deque<double> m_vaeLosses, m_unetLosses;
    std::vector<double> m_firstUnet;
    torch::Tensor m_mean, m_std, m_ids, m_classIds, m_emptyIds;
};

} // namespace

ToyTrainResult trainToyModel(const ToyTrainOptions& options, const ToyTrainCallbacks& callbacks)
{
    validate(options);
    try {
        Run run(options, callbacks);
        return run.run();
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Internal, std::string("training failed: ") + e.what_without_backtrace());
    }
}

std::vector<uint64_t> sampleSeeds()
{
    const uint64_t t = toy::splitRange(toy::Split::Test).first;
    return {t + 0, t + 1, t + 2, t + 3};
}

std::vector<std::string> writeToySamples(const std::string& dir, int size, const std::vector<uint64_t>& seeds)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(ErrorKind::Io, dir + ": cannot create (" + ec.message() + ")");
    std::vector<std::string> names;
    for (uint64_t seed : seeds) {
        const auto scene = toy::generateScene(seed, size);
        const std::string name = "toy_" + std::to_string(seed);
        const fs::path base = fs::path(dir) / name;
        Image img;
        img.width = scene.width;
        img.height = scene.height;
        img.rgb = scene.rgb;
        saveRgbPng(base.string() + ".png", img);
        LabelMap gt;
        gt.width = scene.width;
        gt.height = scene.height;
        gt.labels = scene.labels;
        saveIndexedPng(base.string() + ".gt.png", gt, vocPalette());
        std::string classes;
        for (int c : scene.presentClasses)
            classes += toy::classNames()[static_cast<size_t>(c)] + "\n";
        writeTextAtomic(base.string() + ".classes.txt", classes);
        names.push_back(name);
    }
    return names;
}

} // namespace invseg::train
