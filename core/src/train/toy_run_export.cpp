// The trainer's end of a call: the (EMA) weights exported as a diffusers folder, the result and MODEL_CARD.md.
#include "train/toy_run.h"

#include "invseg/toy_world.h"
#include "train/diffusers_export.h"

#include <iomanip>
#include <sstream>

namespace invseg::train::detail {

// ---- export ----
ToyTrainResult Run::finish(bool finished)
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
        r.modelBytes = writeDiffusersFolder(m_root.string(), m_unetCfg, *m_unet, m_vaeCfg, *m_vae, m_textCfg, *m_text,
                                            m_o.fp16);
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

double Run::lastLoggedUnetLoss()
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

std::string Run::list(const std::vector<int64_t>& v)
{
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i)
        s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}

void Run::writeModelCard(const ToyTrainResult& r)
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
      << "- training wall time (all runs): " << std::fixed << std::setprecision(1) << m_state.seconds / 60.0 << " min"
      << std::defaultfloat << std::setprecision(4) << "\n"
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

} // namespace invseg::train::detail
