// Writing trained modules as the diffusers folder SdModel::load reads (config.json files + safetensors).
#include "train/diffusers_export.h"

#include "invseg/error.h"
#include "invseg/tensor_file.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace invseg::train {

namespace fs = std::filesystem;
using nlohmann::json;

std::map<std::string, torch::Tensor> moduleTensors(const torch::nn::Module& module, torch::ScalarType dtype)
{
    std::map<std::string, torch::Tensor> out;
    auto put = [&](const std::string& name, const torch::Tensor& t) {
        auto c = t.detach().to(torch::kCPU);
        if (c.is_floating_point())
            c = c.to(dtype);
        out[name] = c.contiguous();
    };
    for (const auto& p : module.named_parameters(true))
        put(p.key(), p.value());
    for (const auto& b : module.named_buffers(true))
        put(b.key(), b.value());
    return out;
}

void writeTextAtomic(const std::string& path, const std::string& text)
{
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f)
            throw Error(ErrorKind::Io, path + ": cannot write");
        f << text;
        f.flush();
        if (!f) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw Error(ErrorKind::Io, path + ": write failed");
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw Error(ErrorKind::Io, path + ": cannot rename into place");
    }
}

namespace {

void writeJson(const fs::path& path, const json& j)
{
    writeTextAtomic(path.string(), j.dump(2) + "\n");
}

json unetJson(const UNetConfig& c)
{
    const size_t n = c.blockOutChannels.size();
    json down = json::array(), up = json::array();
    for (size_t i = 0; i < n; ++i)
        down.push_back(c.crossAttnDown[i] ? "CrossAttnDownBlock2D" : "DownBlock2D");
    for (size_t i = 0; i < n; ++i)
        up.push_back(c.crossAttnDown[n - 1 - i] ? "CrossAttnUpBlock2D" : "UpBlock2D");
    json j;
    j["_class_name"] = "UNet2DConditionModel";
    j["_diffusers_version"] = "0.30.0";
    j["act_fn"] = "silu";
    j["attention_head_dim"] = c.numHeads; // diffusers' name for the head count (diffusers#2011)
    j["block_out_channels"] = c.blockOutChannels;
    j["center_input_sample"] = false;
    j["cross_attention_dim"] = c.crossAttentionDim;
    j["down_block_types"] = down;
    j["downsample_padding"] = 1;
    j["flip_sin_to_cos"] = c.flipSinToCos;
    j["freq_shift"] = c.freqShift;
    j["in_channels"] = c.inChannels;
    j["layers_per_block"] = c.layersPerBlock;
    j["mid_block_scale_factor"] = 1;
    j["mid_block_type"] = "UNetMidBlock2DCrossAttn";
    j["norm_eps"] = c.normEps;
    j["norm_num_groups"] = c.normNumGroups;
    j["out_channels"] = c.outChannels;
    j["sample_size"] = c.sampleSize;
    j["transformer_layers_per_block"] = 1;
    j["up_block_types"] = up;
    j["upcast_attention"] = c.upcastAttention;
    j["use_linear_projection"] = c.useLinearProjection;
    return j;
}

json vaeJson(const VaeConfig& c)
{
    json down = json::array(), up = json::array();
    for (size_t i = 0; i < c.blockOutChannels.size(); ++i) {
        down.push_back("DownEncoderBlock2D");
        up.push_back("UpDecoderBlock2D");
    }
    json j;
    j["_class_name"] = "AutoencoderKL";
    j["_diffusers_version"] = "0.30.0";
    j["act_fn"] = "silu";
    j["block_out_channels"] = c.blockOutChannels;
    j["down_block_types"] = down;
    j["force_upcast"] = true;
    j["in_channels"] = c.inChannels;
    j["latent_channels"] = c.latentChannels;
    j["layers_per_block"] = c.layersPerBlock;
    j["mid_block_add_attention"] = c.midBlockAddAttention;
    j["norm_num_groups"] = c.normNumGroups;
    j["out_channels"] = c.outChannels;
    j["sample_size"] = c.sampleSize;
    j["scaling_factor"] = c.scalingFactor;
    j["up_block_types"] = up;
    j["use_post_quant_conv"] = c.usePostQuantConv;
    j["use_quant_conv"] = c.useQuantConv;
    return j;
}

json textJson(const TextEncoderConfig& c)
{
    json j;
    j["architectures"] = json::array({"CLIPTextModel"});
    j["attention_dropout"] = 0.0;
    j["bos_token_id"] = c.bosTokenId;
    j["eos_token_id"] = c.eosTokenId;
    j["pad_token_id"] = c.padTokenId;
    j["hidden_act"] = c.activation == Activation::QuickGelu ? "quick_gelu" : "gelu";
    j["hidden_size"] = c.hiddenSize;
    j["initializer_factor"] = 1.0;
    j["initializer_range"] = 0.02;
    j["intermediate_size"] = c.intermediateSize;
    j["layer_norm_eps"] = c.layerNormEps;
    j["max_position_embeddings"] = c.maxPositions;
    j["model_type"] = "clip_text_model";
    j["num_attention_heads"] = c.numHeads;
    j["num_hidden_layers"] = c.numLayers;
    j["projection_dim"] = c.hiddenSize;
    j["vocab_size"] = c.vocabSize;
    return j;
}

json schedulerJson()
{
    json j;
    j["_class_name"] = "DDPMScheduler";
    j["_diffusers_version"] = "0.30.0";
    j["beta_end"] = 0.012;
    j["beta_schedule"] = "scaled_linear";
    j["beta_start"] = 0.00085;
    j["clip_sample"] = false;
    j["num_train_timesteps"] = 1000;
    j["prediction_type"] = "epsilon";
    j["steps_offset"] = 1;
    j["timestep_spacing"] = "leading";
    j["trained_betas"] = nullptr;
    j["variance_type"] = "fixed_small";
    return j;
}

} // namespace

int64_t writeDiffusersFolder(const std::string& dir, const UNetConfig& unet, const torch::nn::Module& unetModule,
                             const VaeConfig& vae, const torch::nn::Module& vaeModule, const TextEncoderConfig& text,
                             const torch::nn::Module& textModule, bool fp16)
{
    const fs::path root(dir);
    std::error_code ec;
    for (const char* sub : {"unet", "vae", "text_encoder", "scheduler"}) {
        fs::create_directories(root / sub, ec);
        if (ec)
            throw Error(ErrorKind::Io, (root / sub).string() + ": cannot create (" + ec.message() + ")");
    }
    const auto half = fp16 ? torch::kHalf : torch::kFloat;
    const std::map<std::string, std::string> meta{{"format", "pt"}};
    saveSafetensors((root / "unet" / "diffusion_pytorch_model.safetensors").string(), moduleTensors(unetModule, half),
                    meta);
    saveSafetensors((root / "vae" / "diffusion_pytorch_model.safetensors").string(),
                    moduleTensors(vaeModule, torch::kFloat), meta);
    saveSafetensors((root / "text_encoder" / "model.safetensors").string(), moduleTensors(textModule, half), meta);
    writeJson(root / "unet" / "config.json", unetJson(unet));
    writeJson(root / "vae" / "config.json", vaeJson(vae));
    writeJson(root / "text_encoder" / "config.json", textJson(text));
    writeJson(root / "scheduler" / "scheduler_config.json", schedulerJson());
    json index;
    index["_class_name"] = "StableDiffusionPipeline";
    index["_diffusers_version"] = "0.30.0";
    index["text_encoder"] = json::array({"transformers", "CLIPTextModel"});
    index["unet"] = json::array({"diffusers", "UNet2DConditionModel"});
    index["vae"] = json::array({"diffusers", "AutoencoderKL"});
    index["scheduler"] = json::array({"diffusers", "DDPMScheduler"});
    index["tokenizer"] = json::array({"transformers", "CLIPTokenizer"});
    writeJson(root / "model_index.json", index);
    int64_t bytes = 0;
    for (const auto& f :
         {root / "unet" / "diffusion_pytorch_model.safetensors", root / "vae" / "diffusion_pytorch_model.safetensors",
          root / "text_encoder" / "model.safetensors"})
        bytes += static_cast<int64_t>(fs::file_size(f, ec));
    return bytes;
}

} // namespace invseg::train
