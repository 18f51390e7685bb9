// Binary PPM output of a scene (image or label view), written atomically through a temporary file.
#include "invseg/error.h"
#include "invseg/toy_world.h"
#include "toy/palette.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

namespace invseg::toy {

namespace {

std::string temporaryPath(const std::string& path)
{
    static std::atomic<unsigned> counter{0};
    return path + ".tmp-" + std::to_string(static_cast<long>(::getpid())) + "-" + std::to_string(counter++);
}

} // namespace

void writePpm(const std::string& path, const Scene& scene, PpmView view)
{
    const size_t pixels = static_cast<size_t>(scene.width) * static_cast<size_t>(scene.height);
    if (scene.width <= 0 || scene.height <= 0 || scene.rgb.size() != 3 * pixels || scene.labels.size() != pixels)
        throw Error(ErrorKind::InvalidInput, "cannot write '" + path + "': the scene is empty or inconsistent (" +
                                                 std::to_string(scene.width) + "x" + std::to_string(scene.height) +
                                                 ")");
    std::string data = "P6\n" + std::to_string(scene.width) + " " + std::to_string(scene.height) + "\n255\n";
    const size_t header = data.size();
    data.resize(header + 3 * pixels);
    if (view == PpmView::Image) {
        std::memcpy(&data[header], scene.rgb.data(), 3 * pixels);
    } else {
        for (size_t i = 0; i < pixels; ++i) {
            const Rgb c = labelColour(scene.labels[i]);
            data[header + 3 * i] = static_cast<char>(c.r);
            data[header + 3 * i + 1] = static_cast<char>(c.g);
            data[header + 3 * i + 2] = static_cast<char>(c.b);
        }
    }

    const std::string tmp = temporaryPath(path);
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f)
        throw Error(ErrorKind::Io, "cannot write '" + path + "': " + std::strerror(errno));
    const bool written = std::fwrite(data.data(), 1, data.size(), f) == data.size();
    const int writeErrno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!written || !closed) {
        const int err = !written ? writeErrno : errno;
        std::remove(tmp.c_str());
        throw Error(ErrorKind::Io, "cannot write '" + path + "': " + std::strerror(err));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw Error(ErrorKind::Io, "cannot write '" + path + "': " + std::strerror(err));
    }
}

} // namespace invseg::toy
