// The trainer's stage 1 (the VAE on fresh train scenes), its round-trip report (vae_eval.txt, vae_roundtrip.png)
// and, between the stages, the latent pool of train scenes that stage 2 learns from.
#include "train/toy_run.h"

#include "invseg/error.h"
#include "invseg/image.h"
#include "invseg/toy_world.h"
#include "train/diffusers_export.h"
#include "train/toy_scenes.h"
#include "train/toy_schedule.h"

#include <algorithm>
#include <iomanip>
#include <random>
#include <sstream>

namespace invseg::train::detail {

// ---- stage 1 ----
void Run::trainVae()
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

void Run::vaeReport()
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
            std::to_string(thing / std::max(1.0, thingN)) + ", stuff " + std::to_string(stuff / std::max(1.0, stuffN)) +
            ", image variance " + std::to_string(var / double(n)));
    // the picture: 8 originals over their round trips
    const int sz = m_o.size;
    Image img;
    img.width = sz * 8;
    img.height = sz * 2;
    img.rgb.assign(static_cast<size_t>(img.width * img.height * 3), 0);
    auto recU8 = shownRec.add(1).mul(127.5).round().clamp(0, 255).to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
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
void Run::buildLatentPool()
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

} // namespace invseg::train::detail
