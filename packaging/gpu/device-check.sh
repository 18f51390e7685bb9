#!/usr/bin/env bash
# The GPU machine's check, one command: build the engine with ninja against that machine's PyTorch, run the parity and
# GPU tests, benchmark SD 1.5 and SD 2.1 sizes on CUDA in fp32 and bf16, with and without --reuse-self-attention, and
# segment a bundled sample with the bundled toy model the way the window does (the CLI with the options the window
# resolves for that model, SegmentOptions::forModel, on the window's default device: --device auto = the first GPU,
# bf16 where it has it; the window itself needs Qt and OpenCV, which that machine lacks and a run cannot carry).
#   packaging/gpu/device-check.sh OUTDIR            on a machine with PyTorch (CUDA), a GPU, CMake, ninja, nvcc
#   packaging/gpu/device-check.sh OUTDIR --dry-run  the same steps on the CPU at toy size (checks the script here)
#   packaging/gpu/device-check.sh OUTDIR --configure-only   stop after CMake (checks the machine and the deps folder)
# First it prints what a GPU run carries (packaging/gpu/travel-size.sh: the tool takes 64 MiB at most); a dry run
# fails above 60 MiB. The one device call (results come back as at most 8 files, so they travel as one archive):
#   run(command: "bash packaging/gpu/device-check.sh /tmp/dc; rc=$?; tar czf $OUT/device-check.tgz -C /tmp dc;
#       cp /tmp/dc/summary.json $OUT/; exit $rc", carry: ["packaging/gpu/deps"], timeout_s: 540)
# Needs no registry and no Qt/OpenCV: zlib, libpng, nlohmann-json and GoogleTest come from packaging/gpu/deps when the
# machine lacks them (packaging/gpu/prepare-deps.sh makes that folder on a Debian machine; it is gitignored, so the
# device run tool must carry it: carry ["packaging/gpu/deps"]). Everything goes to OUTDIR: device-check.log (all
# output), env.json, configure/build/ctest logs, ctest.xml (JUnit), bench-*.json and bench-*.log, summary.json (each
# phase's seconds and exit status). Budget: under 8 minutes on 16 cores; the build is the engine, the CLI and the two
# test programs that ctest -L "parity|gpu" runs, nothing else.
# Environment: PYTHON (default python3), BUILD_DIR (default build-gpu at the repository root), JOBS (default nproc),
# BENCH_STEPS / BENCH_REPEAT (default 20 / 3), DEPS_ONLY=1 (take zlib, libpng, nlohmann-json and GoogleTest from the
# prepared folder even where the machine has them: what a dry run here uses to check that folder).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: device-check.sh OUTDIR [--dry-run]}
dry=0 configure_only=0
case ${2:-} in
  --dry-run) dry=1 ;;
  --configure-only) configure_only=1 ;;
  "") ;;
  *) echo "device-check: unknown option '$2'" >&2; exit 2 ;;
esac
mkdir -p "$out" && out=$(cd "$out" && pwd)
build=${BUILD_DIR:-$root/build-gpu}
jobs=${JOBS:-$(nproc)}
py=${PYTHON:-python3}
deps=$root/packaging/gpu/deps/root
exec > >(tee -a "$out/device-check.log") 2>&1
start=$(date +%s)
declare -A phase_s phase_rc
phase() { # phase NAME LOG command...: runs a phase, logs it, records its time and status
  local name=$1 log=$2 t0 rc
  shift 2
  t0=$(date +%s)
  echo "== $name: $*"
  "$@" > "$out/$log" 2>&1
  rc=$?
  phase_s[$name]=$(( $(date +%s) - t0 ))
  phase_rc[$name]=$rc
  tail -n 15 "$out/$log"
  echo "== $name: exit $rc after ${phase_s[$name]} s"
  return $rc
}
summary() {
  {
    echo "{\"dry_run\": $dry, \"total_s\": $(( $(date +%s) - start )), \"phases\": {"
    local first=1 k
    for k in "${!phase_s[@]}"; do
      [[ $first -eq 1 ]] || echo ","
      first=0
      printf '  "%s": {"s": %s, "rc": %s}' "$k" "${phase_s[$k]}" "${phase_rc[$k]}"
    done
    echo "}}"
  } > "$out/summary.json"
  cat "$out/summary.json"
}
trap summary EXIT

# ---- what travels ----
size_args=()
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1 && [[ -d $root/packaging/gpu/deps ]]; then
  size_args=(packaging/gpu/deps) # here: the checkout plus the carried folder; there: the copy holds it already
fi
if ! phase travel-size travel-size.log bash "$root/packaging/gpu/travel-size.sh" "${size_args[@]}" && [[ $dry -eq 1 ]]; then
  echo "device-check: the working tree is too large for a GPU run" >&2
  exit 1
fi

# ---- the machine ----
"$py" - > "$out/env.json" <<'PY' || { echo "device-check: $py cannot import torch" >&2; exit 1; }
import json, os, platform, torch
cuda = torch.cuda.is_available()
print(json.dumps({"torch": torch.__version__, "torch_cuda": torch.version.cuda, "cxx11_abi": torch.compiled_with_cxx11_abi(),
                  "cmake_prefix_path": torch.utils.cmake_prefix_path, "cuda_available": cuda,
                  "gpus": [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] if cuda else [],
                  "cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}, indent=1))
PY
cat "$out/env.json"
prefix=$("$py" -c 'import torch; print(torch.utils.cmake_prefix_path)')
command -v nvidia-smi >/dev/null && nvidia-smi > "$out/nvidia-smi.txt" 2>&1

# ---- configure ----
args=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix;$deps/usr" -DINVSEG_BUILD_GUI=OFF
      -DINVSEG_WITH_OPENCV=OFF -DINVSEG_REQUIRE_CUDA=ON)
nvcc=$(command -v nvcc || true)
for c in "${CUDA_HOME:-}" /usr/local/cuda; do
  [[ -n $nvcc || -z $c || ! -x $c/bin/nvcc ]] || nvcc=$c/bin/nvcc
done
if [[ -z $nvcc ]]; then
  echo "device-check: no nvcc (CUDA toolkit) on PATH, in CUDA_HOME or /usr/local/cuda: PyTorch's CMake files need it" >&2
  exit 1
fi
args+=(-DCMAKE_CUDA_COMPILER="$nvcc" -DCUDAToolkit_ROOT="$(dirname "$(dirname "$nvcc")")")
export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}
# What the machine lacks comes from the prepared folder; what it has is used.
have_header() { [[ ${DEPS_ONLY:-0} != 1 ]] && echo "#include <$1>" | ${CXX:-c++} -E -x c++ - >/dev/null 2>&1; }
need_deps=0
if ! have_header zlib.h; then
  args+=(-DZLIB_INCLUDE_DIR="$deps/usr/include" -DZLIB_LIBRARY="$deps/usr/lib/x86_64-linux-gnu/libz.so"); need_deps=1
fi
if ! have_header png.h; then
  args+=(-DPNG_PNG_INCLUDE_DIR="$deps/usr/include" -DPNG_LIBRARY="$deps/usr/lib/x86_64-linux-gnu/libpng16.so"); need_deps=1
fi
have_header nlohmann/json.hpp || need_deps=1
have_header gtest/gtest.h ||
  { args+=(-DINVSEG_GTEST_SOURCE_DIR="$deps/usr/src/googletest" -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON); need_deps=1; }
if [[ $need_deps -eq 1 && ! -d $deps ]]; then
  echo "device-check: this machine lacks zlib/libpng/nlohmann-json/GoogleTest and $deps is missing" \
       "(packaging/gpu/prepare-deps.sh, then carry packaging/gpu/deps)" >&2
  exit 1
fi
phase configure configure.log cmake -S "$root" -B "$build" "${args[@]}" || exit 1
[[ $configure_only -eq 0 ]] || exit 0
phase build build.log cmake --build "$build" -j "$jobs" --target invseg invseg_test_parity invseg_test_text || exit 1

# ---- tests ----
phase ctest ctest.log ctest --test-dir "$build" -L "parity|gpu" -j "$jobs" --output-on-failure --output-junit "$out/ctest.xml" \
  --timeout 600
failed=$?

# ---- benchmarks ----
steps=${BENCH_STEPS:-20} repeat=${BENCH_REPEAT:-3}
if [[ $dry -eq 1 ]]; then
  runs=("toy fp32" "toy bf16")
  device=cpu steps=${BENCH_STEPS:-2} repeat=${BENCH_REPEAT:-1}
else
  runs=("sd15 fp32" "sd15 bf16" "sd21 fp32" "sd21 bf16")
  device=cuda
fi
for run in "${runs[@]}"; do
  read -r arch dtype <<< "$run"
  for reuse in "" --reuse-self-attention; do
    name=bench-$arch-$dtype${reuse:+-reuse}
    phase "$name" "$name.log" "$build/app/invseg" bench --arch "$arch" --device "$device" --dtype "$dtype" \
      --steps "$steps" --repeat "$repeat" $reuse --json "$out/$name.json" || failed=1
  done
done
# ---- the window's run, through the CLI: the bundled model's own options, the window's default device ----
sample=$root/resources/samples/toy_2000000000
phase window-run window-run.log "$build/app/invseg" segment --device auto --model "$root/resources/models/toy" \
  --image "$sample.png" --classes-file "$sample.classes.txt" --out "$out/window-run" --format voc,overlay \
  --overwrite || failed=1
total=$(( $(date +%s) - start ))
echo "device-check: ${total} s in all$([[ $total -gt 480 ]] && echo ' (over the 8-minute budget)'); outputs in $out"
exit $failed
