// The toy dataset's seeds. Kept in its own file so that programs that never ask for toy seeds do not pull the toy
// generator's seed parser out of the static library.
#include "invseg/error.h"
#include "invseg/evaluation.h"
#include "invseg/toy_world.h"

namespace invseg {

std::vector<uint64_t> toySeeds(const DatasetSpec& spec)
{
    if (spec.kind != DatasetKind::Toy)
        throw Error(ErrorKind::InvalidInput, std::string("toySeeds: a ") + datasetKindName(spec.kind) +
                                                 " dataset has no seeds; only toy:seeds=A-B does");
    return toy::parseSeedRange(spec.seeds);
}

} // namespace invseg
