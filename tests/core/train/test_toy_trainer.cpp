// The toy trainer on tiny sizes: losses fall, the export loads with SdModel::load, resume repeats a straight run.
#include "invseg/error.h"
#include "invseg/image.h"
#include "invseg/nn/clip_text_model.h"
#include "invseg/nn/unet.h"
#include "invseg/nn/vae.h"
#include "invseg/sd_model.h"
#include "invseg/tensor_file.h"
#include "invseg/threads.h"
#include "invseg/toy_world.h"
#include "invseg/train_toy.h"
#include "model/sd_model_impl.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

namespace invseg::train {
namespace {

namespace fs = std::filesystem;

fs::path tempDir(const std::string& name)
{
    const auto d = fs::temp_directory_path() / ("invseg_train_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    return d;
}

/// A model small enough to train a few steps in seconds on one core: 32x32 scenes, latent 4x4.
ToyTrainOptions tinyOptions(const fs::path& out)
{
    ToyTrainOptions o;
    o.outDir = out.string();
    o.size = 32;
    o.vaeChannels = {32, 32, 32, 32};
    o.vaeLayersPerBlock = 1;
    o.vaeSteps = 30;
    o.vaeBatch = 4;
    o.vaeLr = 2e-3;
    o.unetChannels = {32, 32, 32};
    o.unetLayersPerBlock = 1;
    o.unetHeads = 2;
    o.textWidth = 32;
    o.textLayers = 1;
    o.textHeads = 2;
    o.steps = 40;
    o.batch = 8;
    o.lr = 2e-3;
    o.warmupSteps = 5;
    o.latentPool = 32;
    o.saveEvery = 0;
    o.fp16 = false;
    o.emaDecay = 0; // the export is then the last step's weights, which the tests compare with the checkpoint
    return o;
}

/// loss.csv rows of one stage, in order.
std::vector<std::pair<int64_t, double>> readLosses(const fs::path& out, const std::string& stage)
{
    std::ifstream in(out / "loss.csv");
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "stage,step,loss,lr,seconds,samples,val_miou");
    std::vector<std::pair<int64_t, double>> rows;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string s, step, loss;
        std::getline(ls, s, ',');
        std::getline(ls, step, ',');
        std::getline(ls, loss, ',');
        if (s == stage)
            rows.emplace_back(std::stoll(step), std::stod(loss));
    }
    return rows;
}

double meanOf(const std::vector<std::pair<int64_t, double>>& rows, size_t begin, size_t end)
{
    double s = 0;
    for (size_t i = begin; i < end; ++i)
        s += rows[i].second;
    return s / double(end - begin);
}

TEST(ToyTrainer, LossesFallAndTheExportLoadsWithTheTrainedWeights)
{
    invseg::setComputeThreads(1); // LibTorch and OpenBLAS alike (ctest runs tests side by side)
    const auto out = tempDir("basic");
    const auto o = tinyOptions(out);
    const auto r = trainToyModel(o);
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.vaeSteps, 30);
    EXPECT_EQ(r.unetSteps, 40);
    EXPECT_GT(r.scalingFactor, 0.0);

    const auto vae = readLosses(out, "vae");
    const auto unet = readLosses(out, "unet");
    ASSERT_EQ(vae.size(), 30u);
    ASSERT_EQ(unet.size(), 40u);
    for (size_t i = 0; i < unet.size(); ++i)
        EXPECT_EQ(unet[i].first, static_cast<int64_t>(i + 1));
    EXPECT_LT(meanOf(vae, 25, 30), 0.85 * meanOf(vae, 0, 5)); // measured: 0.52 vs 0.68
    EXPECT_LT(meanOf(unet, 30, 40), 0.8 * meanOf(unet, 0, 10));

    // The folder is what SdModel::load reads, with the configs the trainer used.
    auto model = SdModel::load(out.string());
    EXPECT_EQ(model->unetConfig().blockOutChannels, (std::vector<int64_t>{32, 32, 32}));
    EXPECT_EQ(model->unetConfig().crossAttnDown, (std::vector<bool>{true, true, false}));
    EXPECT_EQ(model->unetConfig().crossAttentionDim, 32);
    EXPECT_EQ(model->unetConfig().sampleSize, 4);
    EXPECT_EQ(model->nativeImageSize(), 32);
    EXPECT_EQ(model->textConfig().hiddenSize, 32);
    EXPECT_EQ(model->textConfig().numLayers, 1);
    EXPECT_NEAR(model->vaeConfig().scalingFactor, r.scalingFactor, 1e-9 * r.scalingFactor);
    EXPECT_TRUE(fs::exists(out / "MODEL_CARD.md"));

    // ... and holds exactly the weights of the final checkpoint (fp32 export).
    nn::UNet2DConditionModel unet2(model->unetConfig());
    torch::load(unet2, (out / "checkpoint" / "unet.pt").string());
    auto loaded = model->impl().unet()->named_parameters();
    size_t compared = 0;
    for (const auto& p : unet2->named_parameters()) {
        ASSERT_TRUE(loaded.contains(p.key())) << p.key();
        EXPECT_TRUE(torch::equal(loaded[p.key()].to(torch::kFloat), p.value())) << p.key();
        ++compared;
    }
    EXPECT_GT(compared, 50u);
    nn::ClipTextModel text2(model->textConfig());
    torch::load(text2, (out / "checkpoint" / "text.pt").string());
    auto loadedText = model->impl().textEncoder()->named_parameters();
    for (const auto& p : text2->named_parameters())
        EXPECT_TRUE(torch::equal(loadedText[p.key()].to(torch::kFloat), p.value())) << p.key();

    // It runs: a UNet forward on the loaded model gives finite output of the latent's shape.
    torch::NoGradGuard ng;
    auto cond = model->impl().encodeText(model->impl().tokenIds({"a photograph of sky and grass and background"}));
    auto latent = model->impl().imageToLatent(torch::zeros({1, 3, 32, 32}));
    EXPECT_EQ(latent.sizes(), (std::vector<int64_t>{1, 4, 4, 4}));
    auto eps = model->impl().unet()->forward(latent, torch::tensor({100}), cond);
    EXPECT_TRUE(torch::isfinite(eps).all().item<bool>());
    fs::remove_all(out);
}

TEST(ToyTrainer, Fp16ExportStoresHalfWeightsAndStillLoads)
{
    invseg::setComputeThreads(1); // LibTorch and OpenBLAS alike (ctest runs tests side by side)
    const auto out = tempDir("fp16");
    auto o = tinyOptions(out);
    o.vaeSteps = 2;
    o.steps = 2;
    o.fp16 = true;
    trainToyModel(o);
    auto unet = openSafetensors((out / "unet" / "diffusion_pytorch_model.safetensors").string());
    EXPECT_EQ(unet->info("conv_in.weight").dtype, "F16");
    auto vae = openSafetensors((out / "vae" / "diffusion_pytorch_model.safetensors").string());
    EXPECT_EQ(vae->info("encoder.conv_in.weight").dtype, "F32");
    EXPECT_NO_THROW(SdModel::load(out.string()));
    fs::remove_all(out);
}

TEST(ToyTrainer, ResumeContinuesFromTheSavedStepAndRepeatsAStraightRun)
{
    invseg::setComputeThreads(1); // LibTorch and OpenBLAS alike (ctest runs tests side by side)
    const auto straight = tempDir("straight");
    auto o = tinyOptions(straight);
    o.vaeSteps = 6;
    o.steps = 10;
    o.saveEvery = 3;
    o.emaDecay = 0.9; // the EMA weights (the export) are part of what a resume must carry
    trainToyModel(o);

    // Interrupted after UNet step 5 (cancel is seen before step 6), then resumed with the same options.
    const auto split = tempDir("split");
    o.outDir = split.string();
    std::atomic<bool> cancel{false};
    ToyTrainCallbacks cb;
    cb.cancel = &cancel;
    cb.onProgress = [&](const ToyTrainProgress& p) {
        if (p.stage == "unet" && p.step == 5)
            cancel = true;
    };
    const auto first = trainToyModel(o, cb);
    EXPECT_FALSE(first.finished);
    EXPECT_EQ(first.unetSteps, 5);
    {
        std::ifstream card(split / "MODEL_CARD.md");
        std::stringstream ss;
        ss << card.rdbuf();
        EXPECT_NE(ss.str().find("PARTIAL"), std::string::npos);
    }

    o.resume = true;
    int firstStepSeen = -1;
    ToyTrainCallbacks cb2;
    cb2.onProgress = [&](const ToyTrainProgress& p) {
        if ((p.stage == "unet" || p.stage == "vae") && firstStepSeen < 0)
            firstStepSeen = static_cast<int>(p.step);
    };
    bool poolReused = false;
    cb2.onMessage = [&](const std::string& m) { poolReused = poolReused || m.find("latent pool read") == 0; };
    const auto second = trainToyModel(o, cb2);
    EXPECT_TRUE(poolReused); // the checkpoint carries the encoded pool
    EXPECT_TRUE(second.finished);
    EXPECT_EQ(second.unetSteps, 10);
    EXPECT_EQ(firstStepSeen, 6); // no VAE step again, UNet from step 6

    const auto rows = readLosses(split, "unet");
    ASSERT_EQ(rows.size(), 10u);
    const auto rowsStraight = readLosses(straight, "unet");
    for (size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].first, static_cast<int64_t>(i + 1));
        EXPECT_NEAR(rows[i].second, rowsStraight[i].second, 1e-4 * rowsStraight[i].second) << "step " << i + 1;
    }
    auto a = openSafetensors((straight / "unet" / "diffusion_pytorch_model.safetensors").string());
    auto b = openSafetensors((split / "unet" / "diffusion_pytorch_model.safetensors").string());
    for (const auto& k : a->keys())
        EXPECT_TRUE(torch::allclose(a->tensor(k), b->tensor(k), 1e-4, 1e-5)) << k;
    fs::remove_all(straight);
    fs::remove_all(split);
}

TEST(ToyTrainer, ValidationCurveIsLoggedAndTheExportIsTheEma)
{
    invseg::setComputeThreads(1); // LibTorch and OpenBLAS alike (ctest runs tests side by side)
    const auto out = tempDir("val");
    auto o = tinyOptions(out);
    o.vaeSteps = 4;
    o.steps = 6;
    o.emaDecay = 0.9;
    o.valEveryMinutes = 1e-6; // after every step
    o.valScenes = 2;
    o.valLevelWeights = {0.5, 0.5, 0};
    const auto r = trainToyModel(o);
    EXPECT_TRUE(r.finished);
    EXPECT_GE(r.valMiou, 0.0);
    EXPECT_LE(r.valMiou, 100.0);

    std::ifstream in(out / "loss.csv");
    std::string line;
    std::getline(in, line);
    int valRows = 0;
    while (std::getline(in, line)) {
        if (line.rfind("val,", 0) != 0)
            continue;
        ++valRows;
        const double miou = std::stod(line.substr(line.find_last_of(',') + 1));
        EXPECT_GE(miou, 0.0);
        EXPECT_LE(miou, 100.0);
    }
    EXPECT_EQ(valRows, 6);
    std::ifstream val(out / "val.csv");
    std::getline(val, line);
    EXPECT_EQ(line.rfind("step,samples,seconds,miou,sky,wall", 0), 0u) << line;

    // the exported UNet holds the EMA weights, not the last step's
    auto model = SdModel::load(out.string());
    nn::UNet2DConditionModel raw(model->unetConfig());
    torch::load(raw, (out / "checkpoint" / "unet.pt").string());
    auto loaded = model->impl().unet()->named_parameters();
    bool differs = false;
    for (const auto& p : raw->named_parameters())
        differs = differs || !torch::equal(loaded[p.key()].to(torch::kFloat), p.value());
    EXPECT_TRUE(differs);
    fs::remove_all(out);
}

TEST(ToyTrainer, RejectsBadOptionsNamingThem)
{
    ToyTrainOptions o;
    o.outDir = tempDir("bad").string();
    o.size = 100; // not a multiple of 8
    try {
        trainToyModel(o);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
        EXPECT_NE(std::string(e.what()).find("size"), std::string::npos);
    }
}

TEST(ToySamples, WritesImageGroundTruthAndClassList)
{
    const auto out = tempDir("samples");
    const auto names = writeToySamples(out.string(), 64, {2000000000ull});
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0], "toy_2000000000");
    EXPECT_TRUE(fs::exists(out / "toy_2000000000.png"));
    const auto gt = loadLabelMap((out / "toy_2000000000.gt.png").string());
    const auto scene = toy::generateScene(2000000000ull, 64);
    EXPECT_EQ(gt.width, 64);
    EXPECT_EQ(gt.labels, scene.labels);
    std::ifstream f(out / "toy_2000000000.classes.txt");
    std::string line;
    int n = 0;
    while (std::getline(f, line))
        n += line.empty() ? 0 : 1;
    EXPECT_GE(n, 2); // a stuff on top, one below, and things
    fs::remove_all(out);
}

} // namespace
} // namespace invseg::train
