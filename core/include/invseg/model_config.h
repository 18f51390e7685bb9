// Architecture descriptions of the Stable Diffusion components, read from diffusers configs or inferred from shapes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace invseg {

/// Stable Diffusion family. Decides tokenizer padding and text-encoder conventions when no config says.
enum class SdVariant { Sd1, Sd2 };

enum class PredictionType { Epsilon, VPrediction };

/// UNet2DConditionModel (diffusers names). Only the SD 1.x/2.x topology is supported: CrossAttnDownBlock2D×(n-1)
/// + DownBlock2D, UNetMidBlock2DCrossAttn, UpBlock2D + CrossAttnUpBlock2D×(n-1), one transformer block each.
struct UNetConfig {
    int64_t inChannels = 4;
    int64_t outChannels = 4;
    std::vector<int64_t> blockOutChannels{320, 640, 1280, 1280};
    std::vector<int64_t> numHeads{8, 8, 8,
                                  8}; ///< attention heads per level (diffusers attention_head_dim quirk resolved)
    std::vector<bool> crossAttnDown{true, true, true, false}; ///< which down levels have attentions
    int64_t layersPerBlock = 2;
    int64_t crossAttentionDim = 768;
    bool useLinearProjection = false;
    bool upcastAttention = false;
    int64_t normNumGroups = 32;
    double normEps = 1e-5;
    int64_t sampleSize = 64; ///< native latent size (pixels / 8)
    bool flipSinToCos = true;
    double freqShift = 0.0;
    int64_t timeEmbedDim() const { return blockOutChannels.at(0) * 4; }
};

/// AutoencoderKL.
struct VaeConfig {
    int64_t inChannels = 3;
    int64_t outChannels = 3;
    std::vector<int64_t> blockOutChannels{128, 256, 512, 512};
    int64_t layersPerBlock = 2;
    int64_t latentChannels = 4;
    int64_t normNumGroups = 32;
    double scalingFactor = 0.18215;
    int64_t sampleSize = 512; ///< native image size in pixels
    bool useQuantConv = true;
    bool usePostQuantConv = true;
    bool midBlockAddAttention = true;
};

enum class Activation { QuickGelu, Gelu };

/// CLIPTextModel (transformers names), the part Stable Diffusion uses.
struct TextEncoderConfig {
    int64_t vocabSize = 49408;
    int64_t hiddenSize = 768;
    int64_t intermediateSize = 3072;
    int64_t numHeads = 12;
    int64_t numLayers = 12; ///< layers actually run (SD2: the penultimate layer, so 23 of OpenCLIP's 24)
    int64_t maxPositions = 77;
    Activation activation = Activation::QuickGelu;
    double layerNormEps = 1e-5;
    int64_t padTokenId = 49407;
    int64_t bosTokenId = 49406;
    int64_t eosTokenId = 49407;
};

/// The noise schedule of training (DDPM). Only "scaled_linear" and "linear" beta schedules are supported.
struct SchedulerConfig {
    int64_t numTrainTimesteps = 1000;
    double betaStart = 0.00085;
    double betaEnd = 0.012;
    std::string betaSchedule = "scaled_linear";
    PredictionType predictionType = PredictionType::Epsilon;
};

const char* toString(SdVariant v);
const char* toString(PredictionType p);
const char* toString(Activation a);

} // namespace invseg
