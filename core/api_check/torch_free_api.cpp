// Build fact: the engine's public API compiles without LibTorch. This file is compiled with core/include and
// nlohmann json only (core/CMakeLists.txt, target invseg_api_torch_free), so a public header that includes a torch
// header fails here: not found, or, for the ATen / c10 headers Debian installs under /usr/include, the #error below.
#include "invseg/checkpoint.h"
#include "invseg/checkpoint_json.h"
#include "invseg/float_maps.h"
#include "invseg/image.h"
#include "invseg/image_outputs.h"
#include "invseg/runtime_info.h"
#include "invseg/sd_model.h"
#include "invseg/segment_options.h"
#include "invseg/segmenter.h"

#if defined(C10_MACROS_MACROS_H_) || defined(TORCH_API) || defined(C10_API) || defined(TORCH_VERSION)
#error "a public engine header (core/include/invseg) pulled in LibTorch; keep tensors behind the pimpl in core/src"
#endif

#include <memory>
#include <type_traits>

namespace invseg::api_check {

// The API's value types are complete, plain and usable without LibTorch.
static_assert(std::is_default_constructible_v<SegmentResult>);
static_assert(std::is_default_constructible_v<StepReport>);
static_assert(std::is_default_constructible_v<TokenAttention>);
static_assert(std::is_copy_constructible_v<Checkpoint>);
static_assert(std::is_same_v<decltype(std::declval<const SdModel&>().device()), const std::string&>);

/// Never called: a use of every entry point the UI and the CLI need, so that their signatures are checked too.
[[maybe_unused]] int useTheApi(const std::string& path, const Image& image)
{
    ModelOptions options;
    options.device = checkDevice("cpu");
    options.dtype = checkDtype("fp32");
    std::shared_ptr<SdModel> model = SdModel::load(path, options);
    Segmenter segmenter(model);
    SegmentCallbacks callbacks;
    callbacks.onStep = [](const StepReport& r) { (void)r.refinedMaps.at(0, 0, 0); };
    const SegmentResult result = segmenter.segment(image, {"cat"}, SegmentOptions{}, callbacks);
    const TokenAttention attention = inspectTokenAttention(*model, image, {"cat"}, SegmentOptions{});
    const FloatMaps big = resizeMapsBilinear(result.maps, image.width, image.height);
    const Checkpoint ck = readCheckpoint(path);
    return static_cast<int>(result.labels.labels.size() + attention.tokens.size() + big.data.size() +
                            ck.storedDtypes.size()) +
           cudaDeviceCount() + static_cast<int>(libtorchVersion().size());
}

} // namespace invseg::api_check
