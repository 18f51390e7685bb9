// The trainer's stage 2 (text encoder + UNet on epsilon prediction over the latent pool) and its validation (the
// diffusion baseline of the EMA weights on validation scenes: val.csv, "val" rows of loss.csv).
#include "train/toy_run.h"

#include "invseg/evaluation.h"
#include "invseg/image.h"
#include "invseg/noise_schedule.h"
#include "invseg/sd_model.h"
#include "invseg/segment_tensors.h"
#include "invseg/segmenter.h"
#include "invseg/tokenizer.h"
#include "invseg/toy_world.h"
#include "train/diffusers_export.h"
#include "train/toy_options.h"
#include "train/toy_scenes.h"
#include "train/toy_schedule.h"

#include <cmath>
#include <cstring>
#include <iomanip>
#include <random>
#include <sstream>

namespace invseg::train::detail {

// ---- validation ----
double Run::validate()
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
        const auto r = invseg::detail::segmentTensors(*model, rgb, classes, so);
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
void Run::trainUnet()
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
        message("stage 2: text encoder + UNet, steps " + std::to_string(first) + " -> " + std::to_string(m_o.steps));
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

} // namespace invseg::train::detail
