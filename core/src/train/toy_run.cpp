// The trainer's Run: setup, the order of the stages, initialisation from a saved model, the loss log, checkpoints
// and resume, progress reports and the EMA weights.
#include "train/toy_run.h"

#include "invseg/error.h"
#include "invseg/sd_model.h"
#include "model/sd_model_impl.h"
#include "train/diffusers_export.h"
#include "train/toy_options.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace invseg::train::detail {

Run::Run(const ToyTrainOptions& o, const ToyTrainCallbacks& cb)
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

ToyTrainResult Run::run()
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

void Run::message(const std::string& s)
{
    if (m_cb.onMessage)
        m_cb.onMessage(s);
}

bool Run::stopped()
{
    if (m_cb.cancel && m_cb.cancel->load())
        return true;
    if (m_o.maxMinutes > 0 && elapsed() > m_o.maxMinutes * 60.0) {
        m_timeUp = true;
        return true;
    }
    return false;
}

void Run::initFromModel(const std::string& path)
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

double Run::meanLast(const std::deque<double>& v)
{
    if (v.empty())
        return 0;
    double s = 0;
    for (double x : v)
        s += x;
    return s / double(v.size());
}

// ---- loss log ----
void Run::rewriteLog(int64_t vaeStep, int64_t unetStep)
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

void Run::logRow(const char* stage, int64_t step, double loss, double lr, int64_t samples, double valMiou)
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
void Run::saveCheckpoint()
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
    message("checkpoint saved (" + m_state.stage + ", vae step " + std::to_string(m_state.vaeStep) + ", unet step " +
            std::to_string(m_state.unetStep) + ")");
}

void Run::tryResume()
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
        throw Error(ErrorKind::Format, dir.string() + ": cannot load the checkpoint (" + e.what_without_backtrace() +
                                           "); was it written with other options?");
    }
    rewriteLog(m_state.vaeStep, m_state.unetStep);
    message("resumed from " + dir.string() + " (" + m_state.stage + ", vae step " + std::to_string(m_state.vaeStep) +
            ", unet step " + std::to_string(m_state.unetStep) + ")");
}

void Run::progress(const char* stage, int64_t step, int64_t total, double loss, double& smooth, Clock::time_point t0,
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

// ---- EMA ----
void Run::updateEma(int64_t step)
{
    if (m_ema.empty())
        return;
    torch::NoGradGuard ng;
    // a short warm-up, so that early exports are not dominated by the initialisation
    const double d = std::min(m_o.emaDecay, double(1 + step) / double(10 + step));
    for (size_t i = 0; i < m_ema.size(); ++i)
        m_ema[i].mul_(d).add_(m_trainParams[i].detach(), 1.0 - d);
}

void Run::swapEma()
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

} // namespace invseg::train::detail
