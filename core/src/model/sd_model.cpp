// Building, loading and running the frozen Stable Diffusion networks.
#include "invseg/error.h"
#include "invseg/runtime_info.h"
#include "invseg/tokenizer.h"
#include "model/sd_model_impl.h"
#include "model/state_dict.h"

#include <torch/torch.h>

namespace invseg {

torch::Device parseDevice(const std::string& device)
{
    if (device == "cpu")
        return torch::Device(torch::kCPU);
    if (device == "cuda" || device.rfind("cuda:", 0) == 0) {
        int index = 0;
        if (device.size() > 5) {
            const std::string n = device.substr(5);
            if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos)
                throw Error(ErrorKind::InvalidInput, "unknown device '" + device + "' (use cpu, cuda or cuda:N)");
            index = std::stoi(n);
        }
        const auto count = torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
        if (count == 0)
            throw Error(ErrorKind::Unsupported, "device '" + device + "' was asked for, but CUDA is not usable: " +
                                                    cudaStatus().reason + "; use --device cpu");
        if (index >= count)
            throw Error(ErrorKind::InvalidInput,
                        "device '" + device + "' does not exist: there are " + std::to_string(count) + " CUDA devices");
        return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw Error(ErrorKind::InvalidInput, "unknown device '" + device + "' (use cpu, cuda or cuda:N)");
}

torch::ScalarType parseDtype(const std::string& dtype)
{
    if (dtype == "fp32" || dtype == "float32" || dtype == "float")
        return torch::kFloat;
    if (dtype == "fp16" || dtype == "float16" || dtype == "half")
        return torch::kHalf;
    if (dtype == "bf16" || dtype == "bfloat16")
        return torch::kBFloat16;
    throw Error(ErrorKind::InvalidInput, "unknown dtype '" + dtype + "' (use fp32, bf16 or fp16)");
}

const char* dtypeName(torch::ScalarType t)
{
    switch (t) {
    case torch::kFloat: return "fp32";
    case torch::kHalf: return "fp16";
    case torch::kBFloat16: return "bf16";
    default: return "other";
    }
}

std::string checkDevice(const std::string& device)
{
    return parseDevice(device).str();
}

std::string checkDtype(const std::string& dtype)
{
    return dtypeName(parseDtype(dtype));
}

SdModel::SdModel() : m_impl(std::make_unique<Impl>(*this)) {}
SdModel::~SdModel() = default;

namespace {

/// Every 4-D parameter and buffer (the convolution kernels) into channels-last order, in place.
void toChannelsLast(torch::nn::Module& m)
{
    for (auto& p : m.parameters(true))
        if (p.dim() == 4)
            p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
    for (auto& b : m.buffers(true))
        if (b.dim() == 4)
            b.set_data(b.contiguous(torch::MemoryFormat::ChannelsLast));
}

void freeze(torch::nn::Module& m)
{
    for (auto& p : m.parameters(true))
        p.set_requires_grad(false);
    m.eval();
}

} // namespace

std::shared_ptr<SdModel> SdModel::load(const std::string& path, const ModelOptions& options)
{
    const torch::Device device = parseDevice(options.device);
    const torch::ScalarType dtype = parseDtype(options.dtype);
    if (dtype == torch::kHalf && device.is_cpu())
        throw Error(ErrorKind::Unsupported, "fp16 needs a CUDA device; use fp32 or bf16 on the CPU");

    return fromCheckpoint(readCheckpoint(path, options.checkpoint), options);
}

std::shared_ptr<SdModel> SdModel::fromCheckpoint(Checkpoint ck, const ModelOptions& options)
{
    return build(std::move(ck), options, true);
}

std::shared_ptr<SdModel> SdModel::withRandomWeights(Checkpoint configs, const ModelOptions& options)
{
    configs.predictionTypeKnown = true;
    configs.weights.reset(); // only this copy's reference: the caller's tensors stay
    return build(std::move(configs), options, false);
}

std::shared_ptr<SdModel> SdModel::build(Checkpoint ck, const ModelOptions& options, bool loadWeights)
{
    const torch::Device device = parseDevice(options.device);
    const torch::ScalarType dtype = parseDtype(options.dtype);
    if (dtype == torch::kHalf && device.is_cpu())
        throw Error(ErrorKind::Unsupported, "fp16 needs a CUDA device; use fp32 or bf16 on the CPU");
    const std::string path = ck.path;
    std::shared_ptr<SdModel> m(new SdModel());
    m->m_path = path;
    m->m_layout = ck.layout;
    m->m_variant = ck.variant;
    m->m_unetConfig = ck.unet;
    m->m_vaeConfig = ck.vae;
    m->m_textConfig = ck.textEncoder;
    m->m_schedulerConfig = ck.scheduler;
    m->m_storedDtypes = ck.storedDtypes;
    m->m_device = device.str();
    m->m_dtype = dtypeName(dtype);
    Impl& impl = *m->m_impl;
    impl.device = device;
    impl.dtype = dtype;
    m->m_channelsLast = options.channelsLast;

    auto report = [&](const std::string& stage, double f) {
        if (options.checkpoint.progress)
            options.checkpoint.progress(stage, f);
    };
    // The tensors are freed component by component as they are loaded, unless a caller's copy still holds them.
    const std::shared_ptr<CheckpointWeights> weights = ck.weights ? std::move(ck.weights)
                                                                  : std::make_shared<CheckpointWeights>();
    const bool ownWeights = weights.use_count() == 1;
    auto release = [ownWeights](StateDict& sd) {
        if (ownWeights)
            sd.clear();
    };
    try {
        // Weights are loaded under NoGradGuard, never InferenceMode: InvSeg backpropagates through them.
        torch::NoGradGuard noGrad;
        report("building text encoder", 0.0);
        impl.textModule = std::make_unique<nn::ClipTextModel>(ck.textEncoder);
        if (loadWeights)
            loadStateDict(*impl.textEncoder(), weights->textEncoder, "text encoder", path);
        release(weights->textEncoder);
        impl.textEncoder()->to(device, dtype);
        freeze(*impl.textEncoder());

        report("building VAE", 0.3);
        impl.vaeModule = std::make_unique<nn::AutoencoderKL>(ck.vae);
        if (loadWeights)
            loadStateDict(*impl.vae(), weights->vae, "VAE", path);
        release(weights->vae);
        impl.vae()->to(device, dtype);
        freeze(*impl.vae());

        report("building UNet", 0.5);
        impl.unetModule = std::make_unique<nn::UNet2DConditionModel>(ck.unet);
        if (loadWeights)
            loadStateDict(*impl.unet(), weights->unet, "UNet", path);
        release(weights->unet);
        impl.unet()->to(device, dtype);
        if (options.channelsLast)
            toChannelsLast(*impl.unet());
        freeze(*impl.unet());

        if (!ck.predictionTypeKnown) {
            // A1111 / stable-diffusion.cpp heuristic: a v-prediction UNet pulls a constant input strongly negative.
            const auto x = torch::full({1, ck.unet.inChannels, 8, 8}, 0.5, torch::TensorOptions(device).dtype(dtype));
            const auto ctx = torch::full({1, 2, ck.unet.crossAttentionDim}, 0.5, x.options());
            const auto out = impl.unet()->forward(x, torch::tensor({int64_t(999)}, torch::TensorOptions(device)), ctx);
            const double meanDiff = (out.to(torch::kFloat) - x.to(torch::kFloat)).mean().item<double>();
            m->m_schedulerConfig.predictionType = meanDiff < -1.0 ? PredictionType::VPrediction
                                                                  : PredictionType::Epsilon;
            m->m_predictionDetected = true;
        }
        if (ck.layout == CheckpointLayout::SingleFile) {
            // SD 2.x v-prediction checkpoints are the 768 px models; everything else is native at 512 px.
            const bool is768 = ck.variant == SdVariant::Sd2 &&
                               m->m_schedulerConfig.predictionType == PredictionType::VPrediction;
            m->m_unetConfig.sampleSize = is768 ? 96 : 64;
            m->m_vaeConfig.sampleSize = m->m_unetConfig.sampleSize * 8;
        }
        report("tokenizer", 0.9);
        if (ck.tokenizerMerges.empty())
            m->m_tokenizer = std::shared_ptr<const ClipTokenizer>(&ClipTokenizer::bundled(),
                                                                  [](const ClipTokenizer*) {});
        else
            m->m_tokenizer = std::make_shared<const ClipTokenizer>(ClipTokenizer::fromFile(ck.tokenizerMerges));
        impl.noiseSchedule = std::make_unique<NoiseSchedule>(m->m_schedulerConfig);
        report("done", 1.0);
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::OutOfMemory, path + ": out of memory while loading the model");
    } catch (const c10::Error& e) {
        const std::string what = e.what_without_backtrace();
        if (what.find("out of memory") != std::string::npos)
            throw Error(ErrorKind::OutOfMemory, path + ": out of memory on " + options.device + " while loading");
        throw Error(ErrorKind::Format, path + ": " + what);
    }
    return m;
}

int64_t SdModel::parameterCount(const std::string& component) const
{
    if (component == "unet")
        return invseg::parameterCount(*m_impl->unet());
    if (component == "vae")
        return invseg::parameterCount(*m_impl->vae());
    if (component == "text_encoder")
        return invseg::parameterCount(*m_impl->textEncoder());
    throw Error(ErrorKind::InvalidInput, "unknown component '" + component + "'");
}

torch::Tensor SdModel::Impl::tokenIds(const std::vector<std::string>& prompts) const
{
    std::vector<int64_t> flat;
    for (const auto& p : prompts) {
        const auto ids = model.tokenizer().encodePadded(p, model.textConfig().padTokenId,
                                                        model.textConfig().maxPositions);
        flat.insert(flat.end(), ids.begin(), ids.end());
    }
    return torch::tensor(flat, torch::kLong)
        .reshape({static_cast<int64_t>(prompts.size()), model.textConfig().maxPositions})
        .to(device);
}

torch::Tensor SdModel::Impl::encodeText(const torch::Tensor& ids)
{
    return textEncoder()->forward(ids.to(device, torch::kLong));
}

std::pair<torch::Tensor, torch::Tensor> SdModel::Impl::encodeImage(const torch::Tensor& image)
{
    auto posterior = vae()->encode(image.to(device, dtype));
    return {posterior.mean, posterior.logvar};
}

torch::Tensor SdModel::Impl::imageToLatent(const torch::Tensor& image)
{
    return encodeImage(image).first * model.vaeConfig().scalingFactor;
}

torch::Tensor SdModel::Impl::latentToImage(const torch::Tensor& latent)
{
    return vae()->decode(latent.to(device, dtype) / model.vaeConfig().scalingFactor);
}

} // namespace invseg
