// The toy-world trainer: VAE stage, then text encoder + UNet on epsilon prediction; resumable; diffusers export.
#include "invseg/train_toy.h"

#include "invseg/error.h"
#include "invseg/evaluation.h"
#include "invseg/image.h"
#include "invseg/nn/clip_text_model.h"
#include "invseg/nn/unet.h"
#include "invseg/nn/vae.h"
#include "invseg/noise_schedule.h"
#include "invseg/sd_model.h"
#include "invseg/segment_tensors.h"
#include "invseg/segmenter.h"
#include "invseg/tokenizer.h"
#include "invseg/toy_world.h"
#include "model/sd_model_impl.h"
#include "train/diffusers_export.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <random>
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
    check(o.tMin >= 0 && o.tMax <= 1000 && o.tMin < o.tMax, "timesteps: 0 <= t-min < t-max <= 1000");
    check(o.emaDecay >= 0 && o.emaDecay < 1, "ema decay must be in [0, 1)");
    check(o.vaeThingWeight > 0, "vae thing weight must be > 0");
    check(o.vaeCrop >= 0 && o.vaeCrop % 8 == 0 && o.vaeCrop <= o.size, "vae crop: a multiple of 8, at most the size");
    check(o.valScenes >= 1 && o.valScenes <= 1000, "validation scenes: 1 to 1000");
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

/// What stage 2 needs of a pool scene besides its latent.
struct PoolScene {
    std::string caption;                     ///< mirrored for a flipped item: left and right swapped
    std::vector<int> present;                ///< class ids
    std::vector<std::pair<int, int>> things; ///< (class id, colour) of the things in the caption
};

bool isThing(int classId)
{
    return classId >= static_cast<int>(toy::ClassId::Ball);
}

/// The prompt InvSeg's default template builds for the scene's classes, in shuffled order, a thing sometimes with
/// its colour: "a photograph of grass and red ball and sky and background".
std::string classPrompt(const PoolScene& scene, double attributeFraction, std::mt19937_64& rng)
{
    std::vector<int> order = scene.present;
    std::shuffle(order.begin(), order.end(), rng);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::string s = "a photograph of ";
    for (int c : order) {
        if (isThing(c) && u(rng) < attributeFraction) {
            std::vector<int> colours;
            for (const auto& t : scene.things)
                if (t.first == c)
                    colours.push_back(t.second);
            if (!colours.empty())
                s += toy::colourNames()[static_cast<size_t>(colours[rng() % colours.size()])] + " ";
        }
        s += toy::classNames()[static_cast<size_t>(c)] + " and ";
    }
    return s + "background";
}

/// Words that name a class other than by its name ("lawn", "sea", "beach"), mapped to the class id.
const std::map<std::string, int>& synonyms()
{
    static const std::map<std::string, int> table = [] {
        std::map<std::string, int> m;
        for (int c = 1; c < toy::kNumClasses; ++c)
            for (const auto& w : toy::classTerms(c))
                if (w != toy::classNames()[static_cast<size_t>(c)])
                    m[w] = c;
        return m;
    }();
    return table;
}

/// The caption with each class synonym replaced by the class name with probability p (InvSeg prompts with the
/// names, which the generator's captions use for only a part of the scenes: "grass" in about a quarter).
std::string withClassNames(const std::string& caption, double p, std::mt19937_64& rng)
{
    if (p <= 0)
        return caption;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::string out;
    size_t i = 0;
    while (i < caption.size()) {
        if (!std::isalpha(static_cast<unsigned char>(caption[i]))) {
            out += caption[i++];
            continue;
        }
        size_t j = i;
        while (j < caption.size() && std::isalpha(static_cast<unsigned char>(caption[j])))
            ++j;
        std::string word = caption.substr(i, j - i);
        std::string lower = word;
        for (auto& ch : lower)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const auto it = synonyms().find(lower);
        if (it != synonyms().end() && u(rng) < p)
            word = toy::classNames()[static_cast<size_t>(it->second)];
        out += word;
        i = j;
    }
    return out;
}

/// "left" <-> "right" as whole words: the caption of the mirrored scene.
std::string mirroredCaption(const std::string& caption)
{
    std::string out;
    size_t i = 0;
    while (i < caption.size()) {
        if (caption.compare(i, 4, "left") == 0 &&
            (i == 0 || !std::isalpha(static_cast<unsigned char>(caption[i - 1]))) &&
            (i + 4 >= caption.size() || !std::isalpha(static_cast<unsigned char>(caption[i + 4])))) {
            out += "right";
            i += 4;
        } else if (caption.compare(i, 5, "right") == 0 &&
                   (i == 0 || !std::isalpha(static_cast<unsigned char>(caption[i - 1]))) &&
                   (i + 5 >= caption.size() || !std::isalpha(static_cast<unsigned char>(caption[i + 5])))) {
            out += "left";
            i += 5;
        } else {
            out += caption[i++];
        }
    }
    return out;
}

PoolScene poolScene(const toy::Scene& scene, bool mirrored)
{
    PoolScene p;
    p.caption = mirrored ? mirroredCaption(scene.caption) : scene.caption;
    p.present = scene.presentClasses;
    for (const auto& t : scene.things)
        if (t.inCaption)
            p.things.emplace_back(t.classId, t.colour);
    return p;
}

/// [B, 1, H, W] float: 1 on stuff pixels, w on thing pixels.
torch::Tensor thingWeights(const std::vector<toy::Scene>& scenes, double w)
{
    const int64_t b = static_cast<int64_t>(scenes.size());
    const int64_t h = scenes[0].height, wd = scenes[0].width;
    auto out = torch::empty({b, 1, h, wd}, torch::kFloat);
    for (int64_t i = 0; i < b; ++i) {
        float* d = out[i].data_ptr<float>();
        const auto& l = scenes[static_cast<size_t>(i)].labels;
        for (size_t k = 0; k < l.size(); ++k)
            d[k] = isThing(l[k]) ? static_cast<float>(w) : 1.0f;
    }
    return out;
}

/// [B, 3, H, W] float in [-1, 1] from scenes.
torch::Tensor scenesToTensor(const std::vector<toy::Scene>& scenes)
{
    const int64_t b = static_cast<int64_t>(scenes.size());
    const int64_t h = scenes[0].height, w = scenes[0].width;
    auto out = torch::empty({b, h, w, 3}, torch::kUInt8);
    for (int64_t i = 0; i < b; ++i)
        std::memcpy(out[i].data_ptr<uint8_t>(), scenes[static_cast<size_t>(i)].rgb.data(),
                    static_cast<size_t>(h * w * 3));
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

/// Warm-up, constant, then linear to 10 % over the last `decay` steps of `total`: the rate at a step depends on
/// `total` only inside the decay, so a run resumed with a larger `total` goes on at the rate it had.
double lrWsd(double base, int64_t step, int64_t warmup, int64_t total, int64_t decay)
{
    if (warmup > 0 && step < warmup)
        return base * double(step + 1) / double(warmup);
    const int64_t start = total - decay;
    if (decay <= 0 || step < start)
        return base;
    const double p = std::min(1.0, double(step - start + 1) / double(decay));
    return base * (1.0 - 0.9 * p);
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
    double seconds = 0; ///< training wall time of all the runs up to this checkpoint
    double valMiou = -1;
};

void writeState(const fs::path& path, const RunState& s)
{
    std::ostringstream o;
    o << std::setprecision(17) << "stage " << s.stage << "\nvae_step " << s.vaeStep << "\nunet_step " << s.unetStep
      << "\nscaling_factor " << s.scalingFactor << "\nvae_loss " << s.vaeLoss << "\nseconds " << s.seconds
      << "\nval_miou " << s.valMiou << "\n";
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
        else if (key == "seconds")
            f >> s.seconds;
        else if (key == "val_miou")
            f >> s.valMiou;
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
        m_vaeOpt = std::make_unique<torch::optim::AdamW>(m_vae->parameters(),
                                                         torch::optim::AdamWOptions(o.vaeLr).weight_decay(0.0));
        m_trainParams = m_unet->parameters();
        for (auto& p : m_text->named_parameters()) {
            if (!o.trainTokenEmbedding && p.key().find("token_embedding") != std::string::npos) {
                p.value().set_requires_grad(false);
                continue;
            }
            m_trainParams.push_back(p.value());
        }
        m_opt = std::make_unique<torch::optim::AdamW>(
            m_trainParams, torch::optim::AdamWOptions(o.lr).weight_decay(o.weightDecay).betas({0.9, 0.999}));
        if (o.emaDecay > 0) {
            torch::NoGradGuard ng;
            for (const auto& p : m_trainParams)
                m_ema.push_back(p.detach().clone());
        }
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
        if (!m_o.initFrom.empty() && m_state.vaeStep == 0 && m_state.unetStep == 0)
            initFromModel(m_o.initFrom);
        // a finished run resumed with more steps goes on; one whose UNet has not started may train its VAE longer
        if (m_state.stage == "done" && m_state.unetStep < m_o.steps)
            m_state.stage = "unet";
        if (m_state.stage != "vae" && m_state.unetStep == 0 && m_state.vaeStep < m_o.vaeSteps) {
            m_state.stage = "vae";
            m_state.scalingFactor = 0;
            m_resumedFrom.clear(); // its latent pool came from the shorter-trained VAE
        }

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

    /// Copies every parameter of a saved model of the same architecture into the networks (by diffusers name).
    void initFromModel(const std::string& path)
    {
        auto model = SdModel::load(path);
        torch::NoGradGuard ng;
        auto copyAll = [&](torch::nn::Module& dst, torch::nn::Module& src, const char* what) {
            auto from = src.named_parameters();
            for (auto& p : dst.named_parameters()) {
                const auto* s = from.find(p.key());
                if (!s || s->sizes() != p.value().sizes())
                    throw Error(ErrorKind::InvalidInput,
                                path + ": " + what + " parameter '" + p.key() + "' is missing or has another shape");
                p.value().copy_(s->to(p.value().dtype()));
            }
        };
        copyAll(*m_unet, *model->impl().unet(), "UNet");
        copyAll(*m_text, *model->impl().textEncoder(), "text encoder");
        copyAll(*m_vae, *model->impl().vae(), "VAE");
        for (size_t i = 0; i < m_ema.size(); ++i)
            m_ema[i].copy_(m_trainParams[i]);
        message("initialised from " + path);
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
        std::string kept = "stage,step,loss,lr,seconds,samples,val_miou\n";
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
                if ((stage == "vae" && s <= vaeStep) || ((stage == "unet" || stage == "val") && s <= unetStep)) {
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

    /// A "val" row has no loss and the validation mIoU in the last column.
    void logRow(const char* stage, int64_t step, double loss, double lr, int64_t samples, double valMiou = -1)
    {
        m_log << stage << ',' << step << ',';
        if (valMiou < 0)
            m_log << std::setprecision(6) << loss;
        m_log << ',' << std::setprecision(6) << lr << ',' << std::setprecision(1) << std::fixed
              << m_state.seconds + elapsed() - m_secondsAtStart << std::defaultfloat << ',' << samples << ',';
        if (valMiou >= 0)
            m_log << std::setprecision(5) << valMiou;
        m_log << '\n';
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
            throw Error(ErrorKind::Io,
                        tmp.string() + ": cannot save the checkpoint (" + e.what_without_backtrace() + ")");
        }
        if (!m_ema.empty())
            torch::save(m_ema, (tmp / "ema.pt").string());
        if (m_mean.defined()) {
            // the stage-2 latent pool, so that a resume does not encode it again (minutes on a CPU)
            torch::save(std::vector<torch::Tensor>{m_mean.cpu()}, (tmp / "latent_means.pt").string());
        }
        m_state.seconds = m_state.seconds + elapsed() - m_secondsAtStart;
        m_secondsAtStart = elapsed();
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
            // a run whose UNet has not started takes only the VAE: its UNet options may differ
            if (m_state.unetStep > 0) {
                torch::load(m_unet, (dir / "unet.pt").string(), m_device);
                torch::load(m_text, (dir / "text.pt").string(), m_device);
                torch::load(*m_opt, (dir / "opt.pt").string(), m_device);
                if (!m_ema.empty()) {
                    std::vector<torch::Tensor> ema; // torch::load appends to a vector
                    if (fs::exists(dir / "ema.pt"))
                        torch::load(ema, (dir / "ema.pt").string(), m_device);
                    if (ema.size() == m_ema.size()) {
                        m_ema = ema;
                    } else {
                        torch::NoGradGuard ng;
                        for (size_t i = 0; i < m_ema.size(); ++i)
                            m_ema[i].copy_(m_trainParams[i]);
                    }
                }
            }
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
        p.samplesPerSec = p.itPerSec * double(std::string(stage) == "vae"    ? m_o.vaeBatch
                                              : std::string(stage) == "unet" ? m_o.batch
                                                                             : 1);
        p.etaSeconds = p.itPerSec > 0 ? double(total - step) / p.itPerSec : 0;
        p.valMiou = m_state.valMiou;
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
            auto w = thingWeights(scenes, m_o.vaeThingWeight).to(m_device);
            if (m_o.vaeCrop > 0 && m_o.vaeCrop < m_o.size) {
                // the VAE is convolutional: a crop costs (crop / size)^2 of a scene. Crops sit on a thing 3 times in
                // 4 (a thing's centre inside), on an 8-pixel grid like the latent cells.
                std::mt19937_64 rng(static_cast<uint64_t>(m_o.seed * 1000003u + 29u + static_cast<uint64_t>(step)));
                std::vector<torch::Tensor> xs, ws;
                const int64_t c = m_o.vaeCrop, room = m_o.size - c;
                for (size_t b = 0; b < scenes.size(); ++b) {
                    int64_t cx = static_cast<int64_t>(rng() % static_cast<uint64_t>(room + 1));
                    int64_t cy = static_cast<int64_t>(rng() % static_cast<uint64_t>(room + 1));
                    const auto& th = scenes[b].things;
                    if (!th.empty() && rng() % 4 != 0) {
                        const auto& t = th[rng() % th.size()];
                        const int64_t mx = (t.x0 + t.x1) / 2, my = (t.y0 + t.y1) / 2;
                        cx = std::clamp<int64_t>(mx - c / 2 + static_cast<int64_t>(rng() % 17) - 8, 0, room);
                        cy = std::clamp<int64_t>(my - c / 2 + static_cast<int64_t>(rng() % 17) - 8, 0, room);
                    }
                    cx = cx / 8 * 8;
                    cy = cy / 8 * 8;
                    xs.push_back(x[static_cast<int64_t>(b)].slice(1, cy, cy + c).slice(2, cx, cx + c));
                    ws.push_back(w[static_cast<int64_t>(b)].slice(1, cy, cy + c).slice(2, cx, cx + c));
                }
                x = torch::stack(xs).contiguous();
                w = torch::stack(ws).contiguous();
            }
            const double lr = lrAt(m_o.vaeLr, step, std::min<int64_t>(50, m_o.vaeSteps / 10), m_o.vaeSteps);
            setLr(*m_vaeOpt, lr);
            auto post = m_vae->encode(x);
            auto z = post.mean + torch::exp(0.5 * post.logvar) * torch::randn_like(post.mean);
            auto rec = m_vae->decode(z);
            auto diff = rec - x;
            auto kl = 0.5 * (post.mean.pow(2) + post.logvar.exp() - 1.0 - post.logvar);
            // weighted mean over pixels: things count vaeThingWeight times a stuff pixel
            auto rloss = (w * (diff.abs() + diff.pow(2))).sum() / (w.sum() * x.size(1));
            auto loss = rloss + m_o.klWeight * kl.mean();
            m_vaeOpt->zero_grad();
            loss.backward();
            torch::nn::utils::clip_grad_norm_(m_vae->parameters(), 1.0);
            m_vaeOpt->step();
            const double l = loss.item<double>();
            m_vaeLosses.push_back(l);
            if (m_vaeLosses.size() > 50)
                m_vaeLosses.pop_front();
            m_state.vaeStep = step + 1;
            logRow("vae", step + 1, l, lr, (step + 1) * m_o.vaeBatch);
            progress("vae", step + 1, m_o.vaeSteps, l, smooth, t0, first);
            const bool last = step + 1 == m_o.vaeSteps;
            if (last) {
                m_state.stage = "unet";
                m_state.vaeLoss = meanLast(m_vaeLosses);
            }
            if (last || (m_o.saveEvery > 0 && (step + 1) % m_o.saveEvery == 0) || stopped()) {
                saveCheckpoint();
                vaeReport();
                m_vae->train();
                if (!last && stopped())
                    return;
            }
        }
        if (m_o.vaeSteps == 0 || first >= m_o.vaeSteps)
            m_state.stage = "unet";
    }

    /// Per-class reconstruction error (MSE in [-1, 1] units, the posterior mean decoded) on validation scenes,
    /// against the image variance; vae_eval.txt, and vae_roundtrip.png (originals above, round trips below).
    void vaeReport()
    {
        torch::NoGradGuard noGrad;
        m_vae->eval();
        const int64_t n = 32;
        const uint64_t base = toy::splitRange(toy::Split::Validation).first;
        std::vector<double> err(toy::kNumClasses, 0.0), cnt(toy::kNumClasses, 0.0);
        double var = 0;
        std::vector<toy::Scene> shown;
        torch::Tensor shownRec;
        for (int64_t s = 0; s < n; s += 8) {
            std::vector<toy::Scene> scenes;
            for (int64_t i = s; i < s + 8; ++i)
                scenes.push_back(toy::generateScene(base + static_cast<uint64_t>(i), m_o.size));
            auto x = scenesToTensor(scenes).to(m_device);
            auto rec = m_vae->decode(m_vae->encode(x).mean).clamp(-1, 1);
            auto se = (rec - x).pow(2).mean(1).cpu().contiguous(); // [B, H, W]
            var += ((x - x.mean({2, 3}, true)).pow(2).mean().item<double>()) * double(scenes.size());
            for (size_t b = 0; b < scenes.size(); ++b) {
                const float* e = se[static_cast<int64_t>(b)].data_ptr<float>();
                const auto& l = scenes[b].labels;
                for (size_t k = 0; k < l.size(); ++k) {
                    err[l[k]] += e[k];
                    cnt[l[k]] += 1;
                }
            }
            if (s == 0) {
                shown = scenes;
                shownRec = rec.cpu();
            }
        }
        std::ostringstream o;
        o << std::setprecision(4) << "VAE round trip after " << m_state.vaeStep
          << " steps: MSE per pixel ([-1, 1] units, posterior mean), " << n << " validation scenes\n";
        double thing = 0, thingN = 0, stuff = 0, stuffN = 0;
        for (int c = 1; c < toy::kNumClasses; ++c) {
            if (cnt[c] == 0)
                continue;
            o << "  " << toy::classNames()[static_cast<size_t>(c)] << " " << err[c] / cnt[c] << "\n";
            (isThing(c) ? thing : stuff) += err[c];
            (isThing(c) ? thingN : stuffN) += cnt[c];
        }
        o << "  stuff pixels " << stuff / std::max(1.0, stuffN) << ", thing pixels " << thing / std::max(1.0, thingN)
          << ", image variance " << var / double(n) << "\n";
        writeTextAtomic((m_root / "vae_eval.txt").string(), o.str());
        message("vae check (step " + std::to_string(m_state.vaeStep) + "): thing-pixel MSE " +
                std::to_string(thing / std::max(1.0, thingN)) + ", stuff " +
                std::to_string(stuff / std::max(1.0, stuffN)) + ", image variance " + std::to_string(var / double(n)));
        // the picture: 8 originals over their round trips
        const int sz = m_o.size;
        Image img;
        img.width = sz * 8;
        img.height = sz * 2;
        img.rgb.assign(static_cast<size_t>(img.width * img.height * 3), 0);
        auto recU8 =
            shownRec.add(1).mul(127.5).round().clamp(0, 255).to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
        for (int b = 0; b < 8; ++b)
            for (int y = 0; y < sz; ++y)
                for (int x = 0; x < sz; ++x)
                    for (int ch = 0; ch < 3; ++ch) {
                        const size_t src = static_cast<size_t>((y * sz + x) * 3 + ch);
                        img.rgb[static_cast<size_t>((y * img.width + b * sz + x) * 3 + ch)] =
                            shown[static_cast<size_t>(b)].rgb[src];
                        img.rgb[static_cast<size_t>(((y + sz) * img.width + b * sz + x) * 3 + ch)] =
                            recU8[b].data_ptr<uint8_t>()[src];
                    }
        try {
            saveRgbPng((m_root / "vae_roundtrip.png").string(), img);
        } catch (const Error& e) {
            message(std::string("vae_roundtrip.png not written: ") + e.what());
        }
    }

    // ---- between the stages ----
    void buildLatentPool()
    {
        torch::NoGradGuard noGrad;
        m_vae->eval();
        const int64_t n = m_o.latentPool;
        const int64_t copies = m_o.flipPool ? 2 : 1;
        message("encoding " + std::to_string(n) + " train scenes (seeds 0.." + std::to_string(n - 1) + ")" +
                (m_o.flipPool ? " and their mirror images" : ""));
        std::vector<torch::Tensor> means, cached;
        if (!m_resumedFrom.empty() && fs::exists(m_resumedFrom / "latent_means.pt")) {
            try {
                torch::load(cached, (m_resumedFrom / "latent_means.pt").string());
            } catch (const c10::Error&) {
                cached.clear();
            }
            if (cached.size() != 1 || cached[0].size(0) != n * copies)
                cached.clear();
            else
                message("latent pool read from " + (m_resumedFrom / "latent_means.pt").string());
        }
        m_pool.assign(static_cast<size_t>(n * copies), PoolScene());
        const int64_t chunk = 32;
        const auto t0 = Clock::now();
        double smooth = 0;
        std::vector<torch::Tensor> flipped;
        for (int64_t s = 0; s < n; s += chunk) {
            std::vector<toy::Scene> scenes;
            for (int64_t i = s; i < std::min(n, s + chunk); ++i) {
                scenes.push_back(toy::generateScene(static_cast<uint64_t>(i), m_o.size));
                m_pool[static_cast<size_t>(i)] = poolScene(scenes.back(), false);
                if (m_o.flipPool)
                    m_pool[static_cast<size_t>(n + i)] = poolScene(scenes.back(), true);
            }
            if (cached.empty()) {
                auto x = scenesToTensor(scenes).to(m_device);
                means.push_back(m_vae->encode(x).mean.to(torch::kFloat));
                if (m_o.flipPool)
                    flipped.push_back(m_vae->encode(x.flip({3})).mean.to(torch::kFloat));
            }
            progress("encode", std::min(n, s + chunk), n, 0, smooth, t0, 0);
        }
        if (cached.empty()) {
            for (auto& f : flipped)
                means.push_back(f);
            m_mean = torch::cat(means);
        } else {
            m_mean = cached[0].to(m_device);
        }
        if (m_state.scalingFactor <= 0) {
            // 1 / std of the latents the UNet will see, as SD's 0.18215 was chosen.
            const double sd = m_mean.std().item<double>();
            m_state.scalingFactor = sd > 1e-8 ? 1.0 / sd : 1.0;
        }
        m_vaeCfg.scalingFactor = m_state.scalingFactor;
        message("scaling_factor = " + std::to_string(m_state.scalingFactor));
    }

    // ---- EMA ----
    void updateEma(int64_t step)
    {
        if (m_ema.empty())
            return;
        torch::NoGradGuard ng;
        // a short warm-up, so that early exports are not dominated by the initialisation
        const double d = std::min(m_o.emaDecay, double(1 + step) / double(10 + step));
        for (size_t i = 0; i < m_ema.size(); ++i)
            m_ema[i].mul_(d).add_(m_trainParams[i].detach(), 1.0 - d);
    }

    /// Swaps the EMA weights into the modules (and back on the second call).
    void swapEma()
    {
        if (m_ema.empty())
            return;
        torch::NoGradGuard ng;
        for (size_t i = 0; i < m_ema.size(); ++i) {
            auto tmp = m_trainParams[i].detach().clone();
            m_trainParams[i].detach().copy_(m_ema[i]);
            m_ema[i].copy_(tmp);
        }
    }

    // ---- validation ----
    /// The diffusion baseline (the engine's Segmenter, K = 0) of the current (EMA) weights on validation scenes.
    double validate()
    {
        const auto t0 = Clock::now();
        const fs::path dir = m_root / "validation_model";
        {
            torch::NoGradGuard ng;
            swapEma();
            m_vaeCfg.scalingFactor = m_state.scalingFactor;
            try {
                writeDiffusersFolder(dir.string(), m_unetCfg, *m_unet, m_vaeCfg, *m_vae, m_textCfg, *m_text, false);
            } catch (...) {
                swapEma();
                throw;
            }
            swapEma();
        }
        auto model = SdModel::load(dir.string());
        SegmentOptions so;
        so.steps = 0;
        so.levelWeights = m_o.valLevelWeights;
        so.timestep = m_o.valTimestep;
        ConfusionMatrix cm(toy::kNumClasses - 1);
        const uint64_t base = toy::splitRange(toy::Split::Validation).first;
        for (int64_t i = 0; i < m_o.valScenes; ++i) {
            const auto scene = toy::generateScene(base + static_cast<uint64_t>(i), m_o.size);
            std::vector<std::string> classes;
            for (int c : scene.presentClasses)
                classes.push_back(toy::classNames()[static_cast<size_t>(c)]);
            auto rgb = torch::empty({scene.height, scene.width, 3}, torch::kUInt8);
            std::memcpy(rgb.data_ptr<uint8_t>(), scene.rgb.data(), scene.rgb.size());
            const auto r = detail::segmentTensors(*model, rgb, classes, so);
            auto labels = r.labels.contiguous();
            LabelMap pred, gt;
            pred.width = gt.width = scene.width;
            pred.height = gt.height = scene.height;
            pred.labels.assign(labels.data_ptr<uint8_t>(), labels.data_ptr<uint8_t>() + labels.numel());
            for (auto& l : pred.labels)
                l = l == 0 ? kIgnoreLabel : static_cast<uint8_t>(scene.presentClasses[l - 1u] - 1);
            gt.labels = scene.labels;
            for (auto& l : gt.labels)
                l = static_cast<uint8_t>(l - 1);
            cm.add(pred, gt);
        }
        const double miou = cm.meanIou();
        const auto iou = cm.iou();
        const fs::path csv = m_root / "val.csv";
        const bool fresh = !fs::exists(csv);
        std::ofstream out(csv, std::ios::app);
        if (fresh) {
            out << "step,samples,seconds,miou";
            for (int c = 1; c < toy::kNumClasses; ++c)
                out << ',' << toy::classNames()[static_cast<size_t>(c)];
            out << '\n';
        }
        out << m_state.unetStep << ',' << m_state.unetStep * m_o.batch << ',' << std::fixed << std::setprecision(1)
            << m_state.seconds + elapsed() - m_secondsAtStart << ',' << std::setprecision(3) << miou;
        for (double v : iou)
            out << ',' << (std::isnan(v) ? 0.0 : v);
        out << std::defaultfloat << '\n';
        m_state.valMiou = miou;
        logRow("val", m_state.unetStep, 0, m_lr, m_state.unetStep * m_o.batch, miou);
        std::ostringstream msg;
        msg << std::fixed << std::setprecision(2) << "validation (step " << m_state.unetStep << ", " << m_o.valScenes
            << " scenes, baseline): mIoU " << miou << " [" << std::chrono::duration<double>(Clock::now() - t0).count()
            << " s]";
        message(msg.str());
        return miou;
    }

    // ---- stage 2 ----
    void trainUnet()
    {
        m_unet->train();
        m_text->train();
        NoiseSchedule schedule{SchedulerConfig{}};
        const auto ac = schedule.alphasCumprod().to(torch::kFloat).to(m_device);
        const auto snr = ac / (1 - ac);
        const auto& tok = ClipTokenizer::bundled();
        const int64_t first = m_state.unetStep;
        const int64_t decay = m_o.decaySteps >= 0 ? m_o.decaySteps : m_o.steps / 5;
        if (first < m_o.steps)
            message("stage 2: text encoder + UNet, steps " + std::to_string(first) + " -> " +
                    std::to_string(m_o.steps));
        const auto t0 = Clock::now();
        auto lastVal = Clock::now();
        double smooth = 0;
        const float scale = static_cast<float>(m_state.scalingFactor);
        const int64_t poolSize = m_mean.size(0);
        for (int64_t step = first; step < m_o.steps; ++step) {
            if (stopped() || (m_o.stopAtStep > 0 && step >= m_o.stopAtStep)) {
                if (m_o.valEveryMinutes > 0 && step > first)
                    validate();
                saveCheckpoint();
                return;
            }
            const uint64_t stepSeed = m_o.seed * 1000003u + 1000000007u + static_cast<uint64_t>(step);
            torch::manual_seed(static_cast<int64_t>(stepSeed));
            std::mt19937_64 rng(stepSeed * 6364136223846793005ull + 1442695040888963407ull);
            auto idx = torch::randint(poolSize, {m_o.batch}, torch::kLong);
            // the posterior mean, as InvSeg encodes
            auto z0 = m_mean.index_select(0, idx.to(m_device)) * scale;
            // one uniform per item: [0, dropout) empty prompt, then the class-list prompt, else the caption
            std::uniform_real_distribution<double> u(0.0, 1.0);
            auto ids = torch::empty({m_o.batch, kContext}, torch::kLong);
            for (int64_t b = 0; b < m_o.batch; ++b) {
                const auto& item = m_pool[static_cast<size_t>(idx[b].item<int64_t>())];
                const double r = u(rng);
                std::string prompt;
                if (r < m_o.captionDropout)
                    prompt = "";
                else if (r < m_o.captionDropout + m_o.classPromptFraction)
                    prompt = classPrompt(item, m_o.attributeFraction, rng);
                else
                    prompt = withClassNames(item.caption, m_o.captionNameFraction, rng);
                const auto t = tok.encodePadded(prompt, m_textCfg.padTokenId, kContext);
                std::memcpy(ids[b].data_ptr<int64_t>(), t.data(), sizeof(int64_t) * kContext);
            }
            ids = ids.to(m_device);
            auto t = torch::randint(m_o.tMin, m_o.tMax, {m_o.batch}, torch::kLong).to(m_device);
            auto noise = torch::randn_like(z0);
            auto zt = schedule.addNoise(z0, noise, t);
            const double lr = lrWsd(m_o.lr, step, m_o.warmupSteps, m_o.steps, decay);
            m_lr = lr;
            setLr(*m_opt, lr);
            auto cond = m_text->forward(ids);
            auto pred = m_unet->forward(zt, t, cond);
            auto perItem = (pred - noise).pow(2).mean({1, 2, 3});
            torch::Tensor loss;
            if (m_o.minSnrGamma > 0) {
                auto s = snr.index_select(0, t);
                auto w = torch::clamp_max(s, m_o.minSnrGamma) / s;
                loss = (w * perItem).mean();
            } else {
                loss = perItem.mean();
            }
            m_opt->zero_grad();
            loss.backward();
            torch::nn::utils::clip_grad_norm_(m_trainParams, 1.0);
            m_opt->step();
            updateEma(step);
            const double l = perItem.mean().item<double>(); // the plain epsilon MSE, comparable across recipes
            m_unetLosses.push_back(l);
            if (m_unetLosses.size() > 50)
                m_unetLosses.pop_front();
            if (m_firstUnet.size() < 50)
                m_firstUnet.push_back(l);
            m_state.unetStep = step + 1;
            logRow("unet", step + 1, l, lr, (step + 1) * m_o.batch);
            progress("unet", step + 1, m_o.steps, l, smooth, t0, first);
            const bool last = step + 1 == m_o.steps;
            if (m_o.valEveryMinutes > 0 &&
                (last || std::chrono::duration<double>(Clock::now() - lastVal).count() > m_o.valEveryMinutes * 60)) {
                validate();
                lastVal = Clock::now();
                m_unet->train();
                m_text->train();
            }
            if (last || (m_o.saveEvery > 0 && (step + 1) % m_o.saveEvery == 0))
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
        swapEma(); // the EMA weights are the model
        try {
            r.modelBytes = writeDiffusersFolder(m_root.string(), m_unetCfg, *m_unet, m_vaeCfg, *m_vae, m_textCfg,
                                                *m_text, m_o.fp16);
        } catch (...) {
            swapEma();
            throw;
        }
        swapEma();
        r.seconds = elapsed();
        r.valMiou = m_state.valMiou;
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
        o << "## Recipe\n\n```\n"
          << (m_o.commandLine.empty() ? "(not recorded)" : m_o.commandLine) << "\n```\n\n"
          << "- git commit: " << (m_o.gitCommit.empty() ? "unknown" : m_o.gitCommit) << "\n"
          << "- toy generator version: " << toy::kGeneratorVersion << "\n"
          << "- seed: " << m_o.seed << ", device: " << m_o.device << ", scenes " << m_o.size << "x" << m_o.size
          << " (latent " << m_unetCfg.sampleSize << "x" << m_unetCfg.sampleSize << "x4)\n"
          << "- stage 1 (VAE): " << r.vaeSteps << " steps, batch " << m_o.vaeBatch << ", AdamW lr " << m_o.vaeLr
          << (m_o.vaeCrop > 0 ? " crops of " + std::to_string(m_o.vaeCrop) + " px (3 in 4 on a thing)" : std::string())
          << ", loss L1 + L2 (thing pixels weighted " << m_o.vaeThingWeight << "x) + " << m_o.klWeight
          << " KL, fresh train scenes (seeds from 5e8 up); round trip on validation scenes: vae_eval.txt\n"
          << "- stage 2 (text encoder + UNet): " << r.unetSteps << " of " << m_o.steps << " steps, batch " << m_o.batch
          << " (" << r.unetSteps * m_o.batch << " samples), AdamW lr " << m_o.lr << " (warm-up " << m_o.warmupSteps
          << ", constant, linear to 10 % over the last " << (m_o.decaySteps >= 0 ? m_o.decaySteps : m_o.steps / 5)
          << " steps), weight decay " << m_o.weightDecay << ", epsilon prediction, t uniform in [" << m_o.tMin << ", "
          << m_o.tMax << "), min-SNR gamma " << m_o.minSnrGamma << ", EMA " << m_o.emaDecay << ", token embedding "
          << (m_o.trainTokenEmbedding ? "trained" : "frozen") << ", caption dropout " << m_o.captionDropout
          << ", class-list prompt (\"a photograph of grass and red ball and sky and background\", shuffled, colour "
             "for a thing with probability "
          << m_o.attributeFraction << ") for a fraction " << m_o.classPromptFraction
          << " of the items, the caption otherwise (class synonyms replaced by the class name with probability "
          << m_o.captionNameFraction << "), posterior means of " << m_o.latentPool << " train scenes (seeds 0.."
          << m_o.latentPool - 1 << ")" << (m_o.flipPool ? " and their mirror images" : "") << "\n"
          << (m_o.initFrom.empty() ? std::string() : "- initialised from the weights of " + m_o.initFrom + "\n")
          << "- scaling_factor: " << r.scalingFactor << " (1 / std of the pool's latent means)\n"
          << "- training wall time (all runs): " << std::fixed << std::setprecision(1) << m_state.seconds / 60.0
          << " min" << std::defaultfloat << std::setprecision(4) << "\n"
          << "- validation baseline (K = 0, " << m_o.valScenes << " validation scenes) at the end: "
          << (m_state.valMiou >= 0 ? std::to_string(m_state.valMiou) + " mIoU" : std::string("not measured"))
          << " (curve: val.csv)\n\n"
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
    torch::Tensor m_mean;
    std::vector<PoolScene> m_pool;
    std::vector<torch::Tensor> m_trainParams, m_ema;
    double m_secondsAtStart = 0;
    double m_lr = 0;
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
