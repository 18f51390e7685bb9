// The toy dataset's seeds and its image-blind layout floor. Kept in their own file so that programs that never ask for
// them do not pull the toy generator out of the static library.
#include "invseg/error.h"
#include "invseg/evaluation.h"
#include "invseg/toy_world.h"

#include <algorithm>

namespace invseg {

std::vector<uint64_t> toySeeds(const DatasetSpec& spec)
{
    if (spec.kind != DatasetKind::Toy)
        throw Error(ErrorKind::InvalidInput, std::string("toySeeds: a ") + datasetKindName(spec.kind) +
                                                 " dataset has no seeds; only toy:seeds=A-B does");
    return toy::parseSeedRange(spec.seeds);
}

LabelMap toyLayoutGuess(int width, int height, const std::vector<int>& prompted)
{
    using toy::ClassId;
    auto has = [&](ClassId c) { return std::find(prompted.begin(), prompted.end(), int(c)) != prompted.end(); };
    int top = 0;
    for (ClassId c : {ClassId::Sky, ClassId::Wall})
        if (has(c) && top == 0)
            top = int(c);
    std::vector<int> grounds;
    for (ClassId c : {ClassId::Water, ClassId::Grass, ClassId::Sand, ClassId::Road})
        if (has(c))
            grounds.push_back(int(c));
    const int far = grounds.empty() ? top : grounds.front();
    const int near = grounds.empty() ? top : grounds.back();
    const int horizon = top != 0 && !grounds.empty() ? int(0.45 * height + 0.5) : 0;
    const int split = int(0.70 * height + 0.5);
    LabelMap out;
    out.width = width;
    out.height = height;
    out.labels.resize(size_t(width) * size_t(height));
    for (int y = 0; y < height; ++y) {
        const int label = y < horizon ? top : (y < split ? far : near);
        std::fill_n(out.labels.begin() + ptrdiff_t(y) * width, width, uint8_t(label));
    }
    return out;
}

} // namespace invseg
