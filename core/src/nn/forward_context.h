// Per-call state threaded through one UNet forward: the attention capture, cancellation and the early stop.
#pragma once

#include "invseg/error.h"
#include "invseg/nn/attention_capture.h"

#include <atomic>

namespace invseg::nn::detail {

/// Thrown by the attention layer named in AttentionCapture::stopAfter once it has run; caught by the UNet forward,
/// which then returns an undefined tensor. Never escapes the UNet.
struct StopForward {};

/// What the blocks of one UNet forward share. Lives on the stack of UNet2DConditionModelImpl::forward.
struct ForwardContext {
    AttentionCapture* capture = nullptr;

    /// Throws Error(Cancelled) when the caller's cancel flag is set.
    void checkCancel() const
    {
        if (capture && capture->cancel && capture->cancel->load(std::memory_order_relaxed))
            throw Error(ErrorKind::Cancelled, "UNet forward cancelled");
    }
};

} // namespace invseg::nn::detail
