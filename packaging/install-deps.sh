#!/usr/bin/env bash
# Installs the Debian 12 packages InvSeg Studio needs to build, test and run. Idempotent: installs only what is
# missing; uses sudo only when not root.
#   packaging/install-deps.sh          build + GUI + tests
#   packaging/install-deps.sh --engine the engine and CLI only (no Qt, no OpenCV)
set -euo pipefail

engine=(build-essential cmake libtorch-dev libopenblas0-pthread libgtest-dev nlohmann-json3-dev zlib1g-dev libpng-dev)
gui=(qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libopencv-dev libgl-dev xvfb
     xauth)
packages=("${engine[@]}")
[[ "${1:-}" == "--engine" ]] || packages+=("${gui[@]}")

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
