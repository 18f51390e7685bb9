// The trainer's learning-rate schedules (stage 1: warm-up + cosine, stage 2: warm-up, constant, linear decay) and
// setting an optimiser's rate.
#include "train/toy_schedule.h"

#include <algorithm>
#include <cmath>

namespace invseg::train::detail {

double lrAt(double base, int64_t step, int64_t warmup, int64_t total)
{
    if (warmup > 0 && step < warmup)
        return base * double(step + 1) / double(warmup);
    if (total <= warmup)
        return base;
    // cosine to 10 % of the base rate
    const double p = std::min(1.0, double(step - warmup) / double(total - warmup));
    return base * (0.1 + 0.9 * 0.5 * (1.0 + std::cos(M_PI * p)));
}

double lrWsd(double base, int64_t step, int64_t warmup, int64_t total, int64_t decay)
{
    if (warmup > 0 && step < warmup)
        return base * double(step + 1) / double(warmup);
    const int64_t start = total - decay;
    if (decay <= 0 || step < start)
        return base;
    const double p = std::min(1.0, double(step - start + 1) / double(decay));
    return base * (1.0 - 0.9 * p);
}

void setLr(torch::optim::AdamW& opt, double lr)
{
    for (auto& g : opt.param_groups())
        static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
}

} // namespace invseg::train::detail
