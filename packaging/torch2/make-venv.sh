#!/usr/bin/env bash
# Creates (or brings up to date) the project's Python virtual environment from requirements.txt:
#   packaging/torch2/make-venv.sh [VENV_DIR]      default: $INVSEG_VENV, else .venv at the repository root
# INVSEG_VENV lets several clones share one venv (CI keeps it in ~/.cache/invseg: a fresh clone installs nothing).
# Idempotent and cheap when nothing changed: a stamp holds the hash of the requirements it was made from, and pip's
# download cache is ~/.cache/pip (or PIP_CACHE_DIR), outside the venv, so a rerun on the same machine downloads
# nothing even after the venv folder was deleted.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${1:-${INVSEG_VENV:-$root/.venv}}
req=$here/requirements.txt
stamp=$venv/.requirements.sha256
# The stamp also names this script's own steps after pip (the toolkit links below): a venv made before they changed is
# brought up to date (pip then installs nothing).
want="$(sha256sum "$req" | cut -d' ' -f1) toolkit-links-2"

if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  echo "make-venv: $venv is up to date"
  exit 0
fi
py=${PYTHON:-python3}
if ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "make-venv: $py has no venv/ensurepip module (Debian: apt-get install python3-venv)" >&2
  exit 1
fi
[[ -x $venv/bin/python ]] || "$py" -m venv "$venv"
export PIP_CACHE_DIR=${PIP_CACHE_DIR:-$HOME/.cache/pip} PIP_DISABLE_PIP_VERSION_CHECK=1
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -r "$req"
# NVIDIA's wheels lay out site-packages/nvidia/cu13 as a CUDA toolkit (bin/nvcc, include, lib), but leave out the
# unversioned library names (libcudart.so) that CMake's FindCUDAToolkit looks for, and lib64/, where nvcc's own
# nvcc.profile looks for the libraries it links (libcudart_static.a): link each lib*.so.N to one, and lib64 to lib.
cu13=$("$venv/bin/python" -c 'import nvidia, os; print(os.path.join(list(nvidia.__path__)[0], "cu13"))' 2>/dev/null || true)
if [[ -d $cu13/lib ]]; then
  for f in "$cu13"/lib/lib*.so.[0-9]*; do
    [[ -e ${f%%.so.*}.so ]] || ln -s "$(basename "$f")" "${f%%.so.*}.so"
  done
  [[ -e $cu13/lib64 ]] || ln -s lib "$cu13/lib64"
fi
echo "$want" > "$stamp"
echo "make-venv: $venv ready ($("$venv/bin/python" -c 'import torch; print("torch", torch.__version__)'))"
