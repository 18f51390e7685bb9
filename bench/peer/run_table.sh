#!/usr/bin/env bash
# Runs docs/performance.md's peer table and threads figure, one run after the other, into OUTDIR, then plots it:
#   bench/peer/run_table.sh OUTDIR [INVSEG]      INVSEG: the CLI to time (default build/app/invseg)
# Engine and diffusers on one thread each (THREADS), the same model, size, classes, views and steps. SD 1.5 size
# runs 2 steps per image (SD15_STEPS) since a step takes tens of seconds on a CPU.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: run_table.sh OUTDIR [INVSEG]}
invseg=${2:-$root/build/app/invseg}
py=${INVSEG_VENV:-$root/.venv}/bin/python
threads=${THREADS:-1}
mkdir -p "$out"
{ uptime; nproc; "$invseg" --version; } > "$out/machine.txt" 2>&1
run() { echo "+ $*" >&2; "$@"; }
for m in toy sd1; do
  model=$root/resources/models/toy
  [[ $m == sd1 ]] && model=$root/tests/data/golden/sd1/diffusers
  run "$invseg" bench --model "$model" --steps 20 --repeat 3 --threads "$threads" --json "$out/invseg-$m.json"
  run "$py" "$root/bench/peer/diffusers_step.py" --model "$model" --steps 20 --repeat 3 --threads "$threads" \
    --json "$out/diffusers-$m.json" --profile "$out/diffusers-$m.profile.txt"
done
# The BLAS threads figure (toy model, --threads 2): OpenBLAS's pool set with LibTorch's, or left alone as before.
run "$invseg" bench --model "$root/resources/models/toy" --steps 20 --repeat 3 --threads 2 --json "$out/threads-2_set_together.json"
INVSEG_OPENBLAS_UNTOUCHED=1 run "$invseg" bench --model "$root/resources/models/toy" --steps 20 --repeat 3 --threads 2 \
  --json "$out/threads-2_OpenBLAS_untouched.json"
INVSEG_OPENBLAS_UNTOUCHED=1 OPENBLAS_NUM_THREADS=1 run "$invseg" bench --model "$root/resources/models/toy" --steps 20 \
  --repeat 3 --threads 2 --json "$out/threads-2_OPENBLAS_NUM_THREADS=1.json"
s=${SD15_STEPS:-2}
run "$invseg" bench --arch sd15 --size 128 --steps "$s" --repeat 1 --threads "$threads" --json "$out/invseg-sd15-128.json"
run "$py" "$root/bench/peer/diffusers_step.py" --arch sd15 --size 128 --steps "$s" --repeat 1 --threads "$threads" \
  --json "$out/diffusers-sd15-128.json"
{ uptime; } >> "$out/machine.txt"
run "$py" "$root/bench/peer/plot_peer.py" "$out"
