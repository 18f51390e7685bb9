// The trainer's option checks and the network configurations an option set stands for.
#include "train/toy_options.h"

#include "invseg/error.h"
#include "invseg/toy_world.h"

#include <string>

namespace invseg::train::detail {

namespace {

void check(bool ok, const std::string& what)
{
    if (!ok)
        throw Error(ErrorKind::InvalidInput, "training options: " + what);
}

} // namespace

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

} // namespace invseg::train::detail
