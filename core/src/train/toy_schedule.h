// The trainer's learning-rate schedules (stage 1: warm-up + cosine, stage 2: warm-up, constant, linear decay) and
// setting an optimiser's rate.
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace invseg::train::detail {

/// Linear warm-up over `warmup` steps, then cosine to 10 % of the base rate at `total`.
double lrAt(double base, int64_t step, int64_t warmup, int64_t total);

/// Warm-up, constant, then linear to 10 % over the last `decay` steps of `total`: the rate at a step depends on
/// `total` only inside the decay, so a run resumed with a larger `total` goes on at the rate it had.
double lrWsd(double base, int64_t step, int64_t warmup, int64_t total, int64_t decay);

void setLr(torch::optim::AdamW& opt, double lr);

} // namespace invseg::train::detail
