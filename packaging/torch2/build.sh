#!/usr/bin/env bash
# Builds the whole product (GUI, CLI, trainer, OpenCV, tests) against the venv's PyTorch 2.x with CUDA: the GPU
# flavour that `make run CUDA=1` opens, and the GPU machine's PyTorch version.
#   packaging/torch2/build.sh [BUILD_DIR]      default: build-torch2 at the repository root
# The venv comes from make-venv.sh (a no-op when it is up to date): PyTorch with CUDA, and the CUDA compiler and headers
# from NVIDIA's PyPI wheels (site-packages/nvidia/cu13 is laid out as a toolkit; no system CUDA toolkit is used or
# needed). Every CUDA code path compiles (INVSEG_REQUIRE_CUDA); the peer tests (ctest -L peer) use the venv's Python.
# Reconfigures only when the torch in the venv or the arguments changed; the build itself is incremental (and through
# ccache when it is installed: INVSEG_CCACHE), so a rerun with nothing changed takes seconds.
# Environment: JOBS (default nproc), INVSEG_VENV (the venv; default .venv at the repository root), INVSEG_CUDA_HOME (a
# CUDA toolkit to use instead of the venv's; CUDA_HOME is ignored).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-torch2}
[[ $build = /* ]] || build=$root/$build
venv=${INVSEG_VENV:-$root/.venv}
jobs=${JOBS:-$(nproc)}

bash "$root/packaging/torch2/make-venv.sh" "$venv"
prefix=$("$venv/bin/python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
# C++ ABI: the 2.11 wheel is built with the C++11 ABI and its TorchConfig no longer passes _GLIBCXX_USE_CXX11_ABI
# (TORCH_CXX_FLAGS is empty), so the project compiles with GCC's default, the same ABI as Debian's GoogleTest, zlib
# and libpng. A wheel with the old ABI would link against none of them: refuse it here rather than at link time.
if [[ $("$venv/bin/python" -c 'import torch; print(int(torch.compiled_with_cxx11_abi()))') != 1 ]]; then
  echo "torch2 build: the venv's torch is built with the pre-C++11 ABI; Debian's GoogleTest would not link" >&2
  exit 1
fi
torch_version=$("$venv/bin/python" -c 'import torch; print(torch.__version__)')
# Not CUDA_HOME: machines with a system toolkit often set it for everything (and PATH to its bin/), and the GPU flavour
# must build from the venv alone, as a user's machine without a toolkit does (check-deps.sh --venv fails otherwise).
cuda_home=${INVSEG_CUDA_HOME:-}
if [[ -z $cuda_home ]]; then
  cuda_home=$("$venv/bin/python" -c 'import nvidia, os; print(os.path.join(list(nvidia.__path__)[0], "cu13"))' 2>/dev/null || true)
  if [[ ! -x $cuda_home/bin/nvcc ]]; then
    echo "torch2 build: the venv $venv has no CUDA compiler ($cuda_home/bin/nvcc); packaging/torch2/make-venv.sh" \
         "installs it (nvidia-cuda-nvcc in requirements.txt), or set INVSEG_CUDA_HOME to a CUDA toolkit" >&2
    exit 1
  fi
fi

# The "torch2" preset of CMakePresets.json (Ninja, Release, the whole product, INVSEG_REQUIRE_CUDA, peer tests) with
# what only this machine knows: the venv's torch and Python, the CUDA compiler and headers.
args=(--preset torch2 -DCMAKE_PREFIX_PATH="$prefix" -DINVSEG_PEER_PYTHON="$venv/bin/python")
if [[ -n $cuda_home ]]; then
  # CUDAToolkit_ROOT for CMake's FindCUDAToolkit, CUDA_TOOLKIT_ROOT_DIR for the older FindCUDA that PyTorch's CMake
  # files also call (without it, that one takes /usr/local/cuda where a machine has one).
  args+=(-DCUDAToolkit_ROOT="$cuda_home" -DCUDA_TOOLKIT_ROOT_DIR="$cuda_home" -DCMAKE_CUDA_COMPILER="$cuda_home/bin/nvcc")
  export PATH=$cuda_home/bin:$PATH
fi
# The wheel's CMake files want an architecture list when no GPU is visible; any one compiles the host code paths.
export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}

stamp=$build/.torch2-configured
want="$torch_version ${args[*]}"
if [[ ! -f $build/CMakeCache.txt || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  cmake -S "$root" -B "$build" "${args[@]}"
  echo "$want" > "$stamp"
fi
cmake --build "$build" -j "$jobs"
