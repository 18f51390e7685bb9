# Thin wrapper over CMake: the README's quick start calls these targets.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
SAMPLE ?= $(firstword $(wildcard resources/samples/*[0-9].png))

.PHONY: all deps build test run demo package clean

all: build

deps:
	bash packaging/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 1800

run: build
	@if [ -x $(BUILD_DIR)/app/gui/invseg-studio ]; then \
	  $(BUILD_DIR)/app/gui/invseg-studio $(SAMPLE); \
	else \
	  $(MAKE) --no-print-directory demo; \
	fi

demo: build
	$(BUILD_DIR)/app/invseg --help

package: build
	cd $(BUILD_DIR) && cpack -G DEB

clean:
	rm -rf $(BUILD_DIR)
