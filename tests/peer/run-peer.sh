#!/usr/bin/env bash
# Runs one peer test script in the project's venv; ctest calls it (tests/peer/CMakeLists.txt). A missing venv or a
# venv without the peer packages fails with a message naming what to run, never skips.
#   run-peer.sh PYTHON SCRIPT
set -euo pipefail
py=$1 script=$2
if [[ ! -x $py ]]; then
  echo "peer test: no Python at $py (make the venv: packaging/torch2/make-venv.sh, or run make peer-test)" >&2
  exit 1
fi
if ! "$py" -c 'import pycocotools, labelme, diffusers, transformers, torch' 2>/dev/null; then
  echo "peer test: $py lacks the peer packages (packaging/torch2/requirements.txt; run packaging/torch2/make-venv.sh)" >&2
  "$py" -c 'import pycocotools, labelme, diffusers, transformers, torch' || true
  exit 1
fi
cd "$(dirname "$script")"
exec "$py" -u "$script"
