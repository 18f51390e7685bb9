// NoiseSchedule: ᾱ against diffusers on every golden set, noising/v-targets, prediction conversions, errors.
#include "support/golden_sets.h"

#include "invseg/error.h"
#include "invseg/noise_schedule.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace invseg;
using invseg::test::relativeError;

namespace {
constexpr double kTol = 1e-4;
}

TEST(NoiseScheduleGolden, AlphasNoisingAndTargetsMatch)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& g : sets) {
        SCOPED_TRACE(g.name);
        const auto config = parseSchedulerConfig(g.diffusers("scheduler/scheduler_config.json"));
        const NoiseSchedule schedule(config);
        EXPECT_EQ(g.meta.at("prediction_type").get<std::string>(),
                  config.predictionType == PredictionType::VPrediction ? "v_prediction" : "epsilon");
        test::ErrorLog log;
        const double eA = relativeError(schedule.alphasCumprod(), g.get("alphas_cumprod"));
        EXPECT_LE(eA, kTol);
        log.add("alphas_cumprod", eA);

        const auto z0 = g.get("z0");
        const auto noise = g.get("noise");
        for (const int64_t t : g.timesteps()) {
            const std::string zk = "zt_" + std::to_string(t);
            const auto zt = schedule.addNoise(z0, noise, t);
            const double e = relativeError(zt, g.get(zk));
            EXPECT_LE(e, kTol) << zk;
            log.add("zt", e);
            const std::string vk = "v_target_" + std::to_string(t);
            const auto v = schedule.vTarget(z0, noise, t);
            if (g.has(vk)) {
                const double ev = relativeError(v, g.get(vk));
                EXPECT_LE(ev, kTol) << vk;
                log.add("v_target", ev);
            }
            // A perfect prediction of the schedule's own target gives back z0 and ε.
            const auto perfect = config.predictionType == PredictionType::VPrediction ? v : noise;
            EXPECT_LE(relativeError(schedule.x0FromPrediction(perfect, zt, t), z0), 1e-5);
            EXPECT_LE(relativeError(schedule.epsFromPrediction(perfect, zt, t), noise), 1e-5);
        }
        if (config.predictionType == PredictionType::VPrediction)
            EXPECT_TRUE(g.has("v_target_" + std::to_string(g.timesteps().front())));
        log.print(g.name);
    }
}

TEST(NoiseSchedule, AlphasDecreaseMonotonically)
{
    const NoiseSchedule schedule(SchedulerConfig{});
    const auto ac = schedule.alphasCumprod();
    ASSERT_EQ(ac.sizes(), (std::vector<int64_t>{1000}));
    EXPECT_EQ(ac.scalar_type(), torch::kFloat);
    EXPECT_TRUE((ac.slice(0, 1) < ac.slice(0, 0, -1)).all().item<bool>());
    EXPECT_NEAR(schedule.alphaCumprod(0), 1.0 - 0.00085, 1e-12);
    // SD's scaled-linear ᾱ_999, computed independently in float64: 0.00466010…
    EXPECT_NEAR(schedule.alphaCumprod(999), 0.0046601, 1e-7);
}

TEST(NoiseSchedule, LinearScheduleUsesPlainLinspace)
{
    SchedulerConfig c;
    c.betaSchedule = "linear";
    c.betaStart = 0.0001;
    c.betaEnd = 0.02;
    c.numTrainTimesteps = 3;
    const NoiseSchedule s(c);
    const double b1 = 0.0001, b2 = 0.01005, b3 = 0.02;
    EXPECT_NEAR(s.alphaCumprod(0), 1 - b1, 1e-15);
    EXPECT_NEAR(s.alphaCumprod(2), (1 - b1) * (1 - b2) * (1 - b3), 1e-15);
}

TEST(NoiseSchedule, PerItemTimestepsEqualScalarCalls)
{
    SchedulerConfig c;
    c.predictionType = PredictionType::VPrediction;
    const NoiseSchedule s(c);
    torch::manual_seed(0);
    const auto z0 = torch::randn({3, 4, 5, 6});
    const auto eps = torch::randn({3, 4, 5, 6});
    const auto t = torch::tensor({0, 500, 999});
    const auto zt = s.addNoise(z0, eps, t);
    const auto v = s.vTarget(z0, eps, t);
    for (int64_t i = 0; i < 3; ++i) {
        const int64_t ti = t[i].item<int64_t>();
        EXPECT_LE(relativeError(zt[i], s.addNoise(z0[i], eps[i], ti)), 1e-7);
        EXPECT_LE(relativeError(v[i], s.vTarget(z0[i], eps[i], ti)), 1e-7);
    }
    EXPECT_LE(relativeError(s.x0FromPrediction(v, zt, t), z0), 1e-5);
    EXPECT_LE(relativeError(s.epsFromPrediction(v, zt, t), eps), 1e-5);
    // Half-precision inputs keep their dtype; the arithmetic is float32.
    const auto half = s.addNoise(z0.to(torch::kHalf), eps.to(torch::kHalf), 500);
    EXPECT_EQ(half.scalar_type(), torch::kHalf);
    EXPECT_LE(relativeError(half, s.addNoise(z0, eps, 500)), 1e-3);
}

TEST(NoiseSchedule, EpsilonConversions)
{
    const NoiseSchedule s(SchedulerConfig{});
    torch::manual_seed(1);
    const auto z0 = torch::randn({1, 4, 8, 8});
    const auto eps = torch::randn({1, 4, 8, 8});
    const auto zt = s.addNoise(z0, eps, 300);
    EXPECT_TRUE(torch::equal(s.epsFromPrediction(eps, zt, 300), eps));
    EXPECT_LE(relativeError(s.x0FromPrediction(eps, zt, 300), z0), 1e-5);
    const double a = s.alphaCumprod(300);
    EXPECT_LE(relativeError(zt, std::sqrt(a) * z0 + std::sqrt(1 - a) * eps), 1e-6);
}

TEST(NoiseSchedule, ErrorsNameTheProblem)
{
    const NoiseSchedule s(SchedulerConfig{});
    const auto x = torch::zeros({2, 4, 8, 8});
    auto expectKind = [](ErrorKind kind, auto&& fn) {
        try {
            fn();
            ADD_FAILURE() << "no error";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), kind) << e.what();
        }
    };
    expectKind(ErrorKind::InvalidInput, [&] { s.addNoise(x, x, 1000); });
    expectKind(ErrorKind::InvalidInput, [&] { s.addNoise(x, x, -1); });
    expectKind(ErrorKind::InvalidInput, [&] { s.alphaCumprod(1000); });
    expectKind(ErrorKind::Shape, [&] { s.addNoise(x, torch::zeros({2, 4, 8, 7}), 10); });
    expectKind(ErrorKind::Shape, [&] { s.vTarget(x, x, torch::tensor({1, 2, 3})); });
    expectKind(ErrorKind::InvalidInput, [&] { s.addNoise(x, x, torch::tensor({1.5, 2.0})); });
    SchedulerConfig bad;
    bad.betaSchedule = "squaredcos_cap_v2";
    expectKind(ErrorKind::Unsupported, [&] { NoiseSchedule{bad}; });
    bad.betaSchedule = "linear";
    bad.numTrainTimesteps = 0;
    expectKind(ErrorKind::InvalidInput, [&] { NoiseSchedule{bad}; });
}
