// What a training checkpoint says about the run (stage, steps, scaling factor, ...): checkpoint/state.txt.
#include "train/toy_run_state.h"

#include "invseg/error.h"
#include "train/diffusers_export.h"

#include <fstream>
#include <iomanip>
#include <sstream>

namespace invseg::train::detail {

namespace fs = std::filesystem;

void writeState(const fs::path& path, const RunState& s)
{
    std::ostringstream o;
    o << std::setprecision(17) << "stage " << s.stage << "\nvae_step " << s.vaeStep << "\nunet_step " << s.unetStep
      << "\nscaling_factor " << s.scalingFactor << "\nvae_loss " << s.vaeLoss << "\nseconds " << s.seconds
      << "\nval_miou " << s.valMiou << "\n";
    writeTextAtomic(path.string(), o.str());
}

RunState readState(const fs::path& path)
{
    std::ifstream f(path);
    if (!f)
        throw Error(ErrorKind::Io, path.string() + ": cannot read");
    RunState s;
    std::string key;
    while (f >> key) {
        if (key == "stage")
            f >> s.stage;
        else if (key == "vae_step")
            f >> s.vaeStep;
        else if (key == "unet_step")
            f >> s.unetStep;
        else if (key == "scaling_factor")
            f >> s.scalingFactor;
        else if (key == "vae_loss")
            f >> s.vaeLoss;
        else if (key == "seconds")
            f >> s.seconds;
        else if (key == "val_miou")
            f >> s.valMiou;
        else
            throw Error(ErrorKind::Format, path.string() + ": unknown key '" + key + "'");
    }
    if (s.stage != "vae" && s.stage != "unet" && s.stage != "done")
        throw Error(ErrorKind::Format, path.string() + ": unknown stage '" + s.stage + "'");
    return s;
}

} // namespace invseg::train::detail
