// The trainer's option checks and the network configurations an option set stands for.
#pragma once

#include "invseg/model_config.h"
#include "invseg/train_toy.h"

#include <cstdint>

namespace invseg::train::detail {

constexpr int64_t kLatentChannels = 4;
constexpr int64_t kContext = 77;

/// Throws invseg::Error(InvalidInput) "training options: ..." for an option set the trainer cannot run.
void validate(const ToyTrainOptions& o);

UNetConfig unetConfig(const ToyTrainOptions& o);
VaeConfig vaeConfig(const ToyTrainOptions& o);
TextEncoderConfig textConfig(const ToyTrainOptions& o);

} // namespace invseg::train::detail
