// What a training checkpoint says about the run (stage, steps, scaling factor, ...): checkpoint/state.txt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace invseg::train::detail {

/// What a checkpoint says about the run.
struct RunState {
    std::string stage = "vae"; ///< "vae", "unet" (stage 1 done), "done"
    int64_t vaeStep = 0;
    int64_t unetStep = 0;
    double scalingFactor = 0;
    double vaeLoss = 0;
    double seconds = 0; ///< training wall time of all the runs up to this checkpoint
    double valMiou = -1;
};

/// Writes the state as "key value" lines, atomically. Throws invseg::Error(Io).
void writeState(const std::filesystem::path& path, const RunState& s);

/// Reads what writeState wrote. Throws invseg::Error(Io) when unreadable, (Format) on an unknown key or stage.
RunState readState(const std::filesystem::path& path);

} // namespace invseg::train::detail
