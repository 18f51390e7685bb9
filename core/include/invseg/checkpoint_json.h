// JSON descriptions of checkpoints and configs, for `invseg inspect` and run reports.
#pragma once

#include "invseg/checkpoint.h"

#include <nlohmann/json.hpp>

namespace invseg {

nlohmann::json toJson(const UNetConfig& c);
nlohmann::json toJson(const VaeConfig& c);
nlohmann::json toJson(const TextEncoderConfig& c);
nlohmann::json toJson(const SchedulerConfig& c);

/// Layout, variant, dtypes, parameter counts, files, configs and ignored-key count of a checkpoint.
nlohmann::json describeCheckpoint(const Checkpoint& ck);

} // namespace invseg
