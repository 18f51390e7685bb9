// Every knob of the InvSeg method (docs: invseg-method.md), with the document's defaults, serialisable to JSON.
#pragma once

#include <nlohmann/json_fwd.hpp>

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
    double temperature = 0.1;     ///< T of the class posteriors
    double anchorThreshold = 0.5; ///< δ of the soft anchors
    double tau = 0.1;             ///< τ of the contrastive softmax
    double entropyWeight = 1.0;   ///< λ
    double learningRate = 1e-2;   ///< Adam
    int steps = 20;               ///< K; 0 = the diffusion baseline
    int views = 2;                ///< 1 = identity only, 2 = identity + horizontal flip
    /// Compute the self-attention matrix A once (first pass) and reuse it every step, which lets the UNet
    /// forward stop after the last cross-attention layer the losses use.
    bool reuseSelfAttention = false;
    ImageSizePolicy imageSize = ImageSizePolicy::Stretch;
    std::string device = "cpu";
    std::string dtype = "fp32";
    bool channelsLast = false; ///< load the model with channels-last convolutions (ModelOptions::channelsLast)

    nlohmann::json toJson() const;
    /// Reads the fields present in j (others keep base's values, by default the method's defaults); throws
    /// Error(InvalidInput) naming a bad field.
    static SegmentOptions fromJson(const nlohmann::json& j);
    static SegmentOptions fromJson(const nlohmann::json& j, const SegmentOptions& base);

    /// The file in a model folder that holds the method options tuned for that model (validation scenes only), in
    /// toJson()'s form with any subset of the fields, e.g. {"level_weights": [0.5, 0.5, 0, 0], "timestep": 300}.
    static constexpr const char* kModelDefaultsFile = "invseg_defaults.json";
    /// The starting options for a model: the method's defaults with the fields of modelPath/invseg_defaults.json on
    /// top when modelPath is a folder that has one (the bundled toy model does; real SD checkpoints do not, and keep
    /// the method's defaults). User settings (CLI flags, --config, the GUI's panel) go on top of these. Throws
    /// Error(Format) naming the file when it is not valid JSON, Error(InvalidInput) when a field is bad.
    static SegmentOptions forModel(const std::string& modelPath);
    /// For a front end that keeps its options while the model changes: every field of `current` that still has
    /// the old model's default (`from`) takes the new model's (`to`); fields the user changed are kept.
    static SegmentOptions rebased(const SegmentOptions& current, const SegmentOptions& from, const SegmentOptions& to);
    /// The fields of toJson() whose values differ from base's, device and dtype left out (a front end keeps those
    /// apart): what a user changed on top of a model's defaults. fromJson(changesFrom(base), base) gives back these
    /// options, device and dtype aside.
    nlohmann::json changesFrom(const SegmentOptions& base) const;
    /// Throws Error(InvalidInput) naming the first out-of-range option.
    void validate() const;
};

} // namespace invseg
