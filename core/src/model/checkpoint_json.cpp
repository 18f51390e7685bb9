// JSON descriptions of checkpoints and configs.
#include "invseg/checkpoint_json.h"

#include "model/state_dict.h"

namespace invseg {
namespace {

int64_t countParams(const StateDict& sd)
{
    int64_t n = 0;
    for (const auto& [k, v] : sd)
        n += v.numel();
    return n;
}

} // namespace

nlohmann::json toJson(const UNetConfig& c)
{
    return {{"in_channels", c.inChannels},
            {"out_channels", c.outChannels},
            {"block_out_channels", c.blockOutChannels},
            {"num_attention_heads", c.numHeads},
            {"cross_attention_levels", c.crossAttnDown},
            {"layers_per_block", c.layersPerBlock},
            {"cross_attention_dim", c.crossAttentionDim},
            {"use_linear_projection", c.useLinearProjection},
            {"upcast_attention", c.upcastAttention},
            {"norm_num_groups", c.normNumGroups},
            {"norm_eps", c.normEps},
            {"sample_size", c.sampleSize}};
}

nlohmann::json toJson(const VaeConfig& c)
{
    return {{"in_channels", c.inChannels},
            {"out_channels", c.outChannels},
            {"block_out_channels", c.blockOutChannels},
            {"layers_per_block", c.layersPerBlock},
            {"latent_channels", c.latentChannels},
            {"norm_num_groups", c.normNumGroups},
            {"scaling_factor", c.scalingFactor},
            {"sample_size", c.sampleSize}};
}

nlohmann::json toJson(const TextEncoderConfig& c)
{
    return {{"vocab_size", c.vocabSize},
            {"hidden_size", c.hiddenSize},
            {"intermediate_size", c.intermediateSize},
            {"num_attention_heads", c.numHeads},
            {"num_hidden_layers", c.numLayers},
            {"max_position_embeddings", c.maxPositions},
            {"hidden_act", toString(c.activation)},
            {"pad_token_id", c.padTokenId}};
}

nlohmann::json toJson(const SchedulerConfig& c)
{
    return {{"num_train_timesteps", c.numTrainTimesteps},
            {"beta_start", c.betaStart},
            {"beta_end", c.betaEnd},
            {"beta_schedule", c.betaSchedule},
            {"prediction_type", toString(c.predictionType)}};
}

nlohmann::json describeCheckpoint(const Checkpoint& ck)
{
    nlohmann::json j;
    j["path"] = ck.path;
    j["layout"] = toString(ck.layout);
    j["variant"] = toString(ck.variant);
    j["stored_dtypes"] = ck.storedDtypes;
    j["files"] = ck.files;
    const CheckpointWeights none;
    const CheckpointWeights& w = ck.weights ? *ck.weights : none;
    j["parameters"] = {
        {"unet", countParams(w.unet)}, {"vae", countParams(w.vae)}, {"text_encoder", countParams(w.textEncoder)}};
    j["unet"] = toJson(ck.unet);
    j["vae"] = toJson(ck.vae);
    j["text_encoder"] = toJson(ck.textEncoder);
    j["scheduler"] = toJson(ck.scheduler);
    j["prediction_type_known"] = ck.predictionTypeKnown;
    j["ignored_keys"] = ck.ignoredKeys.size();
    return j;
}

} // namespace invseg
