# The UI's sources (invseg_ui, and what lupdate scans for app/gui's translations), relative to ui/, listed by
# hand: a new file is added here (packaging/check-sources.sh, run by CI, fails on a .cpp that no list names).
set(INVSEG_UI_SOURCES
  controllers/app_settings.cpp controllers/app_settings.h controllers/batch_runner.cpp controllers/batch_runner.h
  controllers/image_document.cpp controllers/image_document.h controllers/label_edit_command.cpp
  controllers/label_edit_command.h controllers/label_store.cpp controllers/label_store.h
  controllers/segmentation_controller.cpp controllers/segmentation_controller.h dialogs/about_dialog.cpp
  dialogs/about_dialog.h dialogs/attention_inspector_dialog.cpp dialogs/attention_inspector_dialog.h
  dialogs/map_viewer_dialog.cpp dialogs/map_viewer_dialog.h dialogs/shortcuts_dialog.cpp dialogs/shortcuts_dialog.h
  icons.cpp icons.h image_conversions.cpp image_conversions.h main_window.cpp main_window.h
  main_window_documents.cpp main_window_menus.cpp plots/loss_chart.cpp plots/loss_chart.h run_types.cpp run_types.h
  widgets/class_panel.cpp widgets/class_panel.h widgets/image_canvas.cpp widgets/image_canvas.h
  widgets/map_gallery.cpp widgets/map_gallery.h widgets/map_tile.cpp widgets/map_tile.h widgets/run_panel.cpp
  widgets/run_panel.h workers/segmentation_worker.cpp workers/segmentation_worker.h)
