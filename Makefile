# Thin wrapper over CMake: the README's quick start calls these targets.
# CUDA=1 (make run CUDA=1, make test CUDA=1, make build CUDA=1): the GPU flavour. PyTorch 2.11 with CUDA and the CUDA
# compiler and headers come from PyPI into the project's venv (packaging/torch2/make-venv.sh; no system CUDA toolkit),
# and the whole product (GUI, CLI, trainer, OpenCV, every CUDA code path) is built against it in build-torch2.
CUDA ?= 0
TORCH2_BUILD_DIR ?= build-torch2
ifeq ($(CUDA),1)
BUILD_DIR ?= $(TORCH2_BUILD_DIR)
else
BUILD_DIR ?= build
endif
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
SAMPLE ?= $(firstword $(filter-out %.gt.png,$(wildcard resources/samples/*.png)))
# make run RUN_ARGS='--screenshot shot.png --run' RUN_WITH='xvfb-run -a': more arguments for the app, and a command
# to start it under (packaging/check-fresh-debian.sh runs the quick start that way, without a display).
RUN_ARGS ?=
RUN_WITH ?=

.PHONY: all deps build test run demo package clean venv torch2-build torch2-test peer-test

all: build

deps:
	bash packaging/install-deps.sh

# The "release" preset of CMakePresets.json (dev, asan and torch2 are the others).
$(BUILD_DIR)/CMakeCache.txt:
	cmake --preset release -B $(BUILD_DIR) $(CMAKE_FLAGS)

ifeq ($(CUDA),1)
build: deps
	JOBS=$(JOBS) bash packaging/torch2/build.sh $(BUILD_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 1800 -LE '$(TORCH2_EXCLUDE)'
else
build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 1800
endif

run: build
	@if [ -x $(BUILD_DIR)/app/gui/invseg-studio ]; then \
	  $(RUN_WITH) $(BUILD_DIR)/app/gui/invseg-studio $(SAMPLE) $(RUN_ARGS); \
	else \
	  $(MAKE) --no-print-directory demo; \
	fi

demo: build
	$(BUILD_DIR)/app/invseg --help
	@if [ -n "$(SAMPLE)" ] && [ -d resources/models/toy ]; then \
	  $(BUILD_DIR)/app/invseg segment --image $(SAMPLE) --classes-file $(basename $(SAMPLE)).classes.txt \
	    --out $(BUILD_DIR)/demo --format voc,overlay,labelme --overwrite && echo "demo: outputs in $(BUILD_DIR)/demo"; \
	fi

# PyTorch 2.x (the GPU machine's version, from the pinned venv) instead of Debian's LibTorch 1.13: the whole product
# (GUI and OpenCV included), every CUDA code path compiled (packaging/torch2/build.sh), then the whole suite, UI tests
# included, but the GPU tests (no device here) and the peer tests (make peer-test). What make build/test CUDA=1 run. INVSEG_VENV chooses the venv (CI: one in
# ~/.cache/invseg shared by every clone).
TORCH2_EXCLUDE ?= gpu|peer

venv:
	bash packaging/torch2/make-venv.sh

torch2-build: deps
	JOBS=$(JOBS) bash packaging/torch2/build.sh $(TORCH2_BUILD_DIR)

torch2-test: torch2-build
	cd $(TORCH2_BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 1800 -LE '$(TORCH2_EXCLUDE)'

# The exports and numerics checked by the real tools (pycocotools, labelme, diffusers) in the same venv.
peer-test: torch2-build
	cd $(TORCH2_BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 1800 -L peer

package: build
	cd $(BUILD_DIR) && cpack -G DEB

clean:
	rm -rf $(BUILD_DIR)
