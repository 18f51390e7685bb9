// The trainer's state for one trainToyModel call (class Run): the networks, optimisers, checkpoints, loss log and
// the stages. Its implementation is split by stage: toy_run.cpp (setup, the order of the stages, loss log,
// checkpoints and resume, progress, EMA), toy_run_vae.cpp (stage 1 and the latent pool), toy_run_unet.cpp (stage 2
// and validation), toy_run_export.cpp (the diffusers folder and the model card).
#pragma once

#include "invseg/model_config.h"
#include "invseg/nn/clip_text_model.h"
#include "invseg/nn/unet.h"
#include "invseg/nn/vae.h"
#include "invseg/train_toy.h"
#include "train/toy_run_state.h"
#include "train/toy_scenes.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace invseg::train::detail {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// The trainer's state for one call.
class Run {
public:
    Run(const ToyTrainOptions& o, const ToyTrainCallbacks& cb);

    ToyTrainResult run();

private:
    void message(const std::string& s);

    bool stopped();

    /// Copies every parameter of a saved model of the same architecture into the networks (by diffusers name).
    void initFromModel(const std::string& path);

    double elapsed() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

    static double meanLast(const std::deque<double>& v);

    // ---- loss log ----
    /// Keeps the rows of loss.csv that a checkpoint at (vaeStep, unetStep) covers; -1, -1 starts a new log.
    void rewriteLog(int64_t vaeStep, int64_t unetStep);

    /// A "val" row has no loss and the validation mIoU in the last column.
    void logRow(const char* stage, int64_t step, double loss, double lr, int64_t samples, double valMiou = -1);

    // ---- checkpoints ----
    template <typename T>
    static void saveTo(const T& obj, const fs::path& path)
    {
        torch::save(obj, path.string());
    }

    void saveCheckpoint();

    void tryResume();

    void progress(const char* stage, int64_t step, int64_t total, double loss, double& smooth, Clock::time_point t0,
                  int64_t firstStep);

    // ---- stage 1 ----
    void trainVae();

    /// Per-class reconstruction error (MSE in [-1, 1] units, the posterior mean decoded) on validation scenes,
    /// against the image variance; vae_eval.txt, and vae_roundtrip.png (originals above, round trips below).
    void vaeReport();

    // ---- between the stages ----
    void buildLatentPool();

    // ---- EMA ----
    void updateEma(int64_t step);

    /// Swaps the EMA weights into the modules (and back on the second call).
    void swapEma();

    // ---- validation ----
    /// The diffusion baseline (the engine's Segmenter, K = 0) of the current (EMA) weights on validation scenes.
    double validate();

    // ---- stage 2 ----
    void trainUnet();

    // ---- export ----
    ToyTrainResult finish(bool finished);

    double lastLoggedUnetLoss();

    static std::string list(const std::vector<int64_t>& v);

    void writeModelCard(const ToyTrainResult& r);

    ToyTrainOptions m_o;
    ToyTrainCallbacks m_cb;
    torch::Device m_device;
    UNetConfig m_unetCfg;
    VaeConfig m_vaeCfg;
    TextEncoderConfig m_textCfg;
    fs::path m_root, m_ckpt;
    fs::path m_resumedFrom; ///< the checkpoint folder this run resumed from, if any
    Clock::time_point m_start;
    RunState m_state;
    bool m_timeUp = false;
    nn::AutoencoderKL m_vae{nullptr};
    nn::UNet2DConditionModel m_unet{nullptr};
    nn::ClipTextModel m_text{nullptr};
    std::unique_ptr<torch::optim::AdamW> m_vaeOpt, m_opt;
    std::ofstream m_log;
    std::deque<double> m_vaeLosses, m_unetLosses;
    std::vector<double> m_firstUnet;
    torch::Tensor m_mean;
    std::vector<PoolScene> m_pool;
    std::vector<torch::Tensor> m_trainParams, m_ema;
    double m_secondsAtStart = 0;
    double m_lr = 0;
};

} // namespace invseg::train::detail
