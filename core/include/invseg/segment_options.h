// Every knob of the InvSeg method (docs: invseg-method.md), with the document's defaults, serialisable to JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace invseg {

/// How an image is brought to the model's square native size.
enum class ImageSizePolicy {
    Stretch, ///< resize to native × native (the method's default)
    Pad,     ///< keep the aspect ratio: resize the long side, pad the short one; maps are cropped back
};

/// Options of one segmentation run. Written into every report, so that a run can be repeated.
struct SegmentOptions {
    /// The prompt; "{classes}" becomes "c1 and c2 and … and background".
    std::string promptTemplate = "a photograph of {classes}";
    /// Learn only the class tokens (false) or all 77 output vectors (true).
    bool learnAllPositions = false;
    int64_t timestep = 100;
    uint64_t seed = 0;
    /// Weight of each UNet resolution level's cross-attention maps; level 0 is the full latent resolution
    /// (64×64 for SD 1.5 at 512²). Default: the second and third levels, {64: 0, 32: 0.3, 16: 0.7, 8: 0}.
    std::vector<double> levelWeights{0.0, 0.3, 0.7, 0.0};
    double temperature = 0.1;      ///< T of the class posteriors
    double anchorThreshold = 0.5;  ///< δ of the soft anchors
    double tau = 0.1;              ///< τ of the contrastive softmax
    double entropyWeight = 1.0;    ///< λ
    double learningRate = 1e-2;    ///< Adam
    int steps = 20;                ///< K; 0 = the diffusion baseline
    int views = 2;                 ///< 1 = identity only, 2 = identity + horizontal flip
    /// Compute the self-attention matrix A once (first pass) and reuse it every step, which lets the UNet
    /// forward stop after the last cross-attention layer the losses use.
    bool reuseSelfAttention = false;
    ImageSizePolicy imageSize = ImageSizePolicy::Stretch;
    std::string device = "cpu";
    std::string dtype = "fp32";
    bool channelsLast = false; ///< load the model with channels-last convolutions (ModelOptions::channelsLast)

    nlohmann::json toJson() const;
    /// Reads the fields present in j (others keep their defaults); throws Error(InvalidInput) naming a bad field.
    static SegmentOptions fromJson(const nlohmann::json& j);
    /// Throws Error(InvalidInput) naming the first out-of-range option.
    void validate() const;
};

} // namespace invseg
