// Metatype registration of the worker's value types.
#include "run_types.h"

namespace invseg::ui {

void registerMetaTypes()
{
    static const bool once = [] {
        qRegisterMetaType<StepUpdate>();
        qRegisterMetaType<RunResult>();
        qRegisterMetaType<ModelInfo>();
        qRegisterMetaType<AttentionMaps>();
        qRegisterMetaType<invseg::SegmentOptions>();
        return true;
    }();
    Q_UNUSED(once);
}

} // namespace invseg::ui
