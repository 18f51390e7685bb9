# Sets INVSEG_UI_ENGINE_READY when the engine files the UI is written against are in the tree, so that a checkout in
# which the engine is still partly missing builds without the GUI instead of failing (included by ui/ and app/gui/).
set(INVSEG_UI_ENGINE_READY TRUE)
foreach(_f
    core/include/invseg/segmenter.h core/include/invseg/segment_options.h core/include/invseg/sd_model.h
    core/include/invseg/image.h core/include/invseg/exports.h core/include/invseg/resources.h
    core/include/invseg/float_maps.h core/include/invseg/runtime_info.h
    core/src/invseg/segmenter.cpp core/src/invseg/token_attention.cpp core/src/model/sd_model.cpp
    core/src/export/voc_export.cpp)
  if(NOT EXISTS ${PROJECT_SOURCE_DIR}/${_f})
    set(INVSEG_UI_ENGINE_READY FALSE)
    message(WARNING "InvSeg Studio GUI skipped: the engine file ${_f} is missing")
    break()
  endif()
endforeach()
