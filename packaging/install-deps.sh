#!/usr/bin/env bash
# Installs the Debian 12 packages InvSeg Studio needs to build, test and run. Idempotent: installs only what is
# missing; uses sudo only when not root.
#   packaging/install-deps.sh                 build + GUI + tests
#   packaging/install-deps.sh --engine        the engine and CLI only (no Qt, no OpenCV)
#   packaging/install-deps.sh [--engine] --list   print the package names, one a line, and install nothing
# packaging/check-deps.sh reads the list from here: every header a build reads and every library its programs
# load must come from these packages or from what they depend on.
set -euo pipefail

# file: CPack's DEB generator needs it to run dpkg-shlibdeps (the package test of make test builds the .deb).
# python3-venv, ninja-build: packaging/torch2 (make-venv.sh; build.sh builds build-torch2 with ninja).
# ccache: every build compiles through it when present (a rebuild or a fresh clone compiles only what changed).
# clang-format: packaging/check-format.sh, which CI runs.
engine=(build-essential cmake libtorch-dev libopenblas0-pthread libgtest-dev libgmock-dev nlohmann-json3-dev zlib1g-dev
        libpng-dev file python3-venv ninja-build ccache clang-format)
gui=(qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libopencv-dev libgl-dev xvfb
     xauth)

with_gui=1
list=0
for arg in "$@"; do
  case "$arg" in
    --engine) with_gui=0 ;;
    --list) list=1 ;;
    -h|--help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "install-deps: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
packages=("${engine[@]}")
[[ $with_gui -eq 0 ]] || packages+=("${gui[@]}")

if [[ $list -eq 1 ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
