#!/usr/bin/env bash
# Segment a folder of images on a Slurm cluster: one array task per shard, each resumable.
#   sbatch --array=0-15 packaging/jobs/slurm-batch.sh /data/images /data/masks "cat,dog,sofa"
# A task that fails or is pre-empted can be resubmitted as is: --resume skips images already done.
#SBATCH --job-name=invseg-batch
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --gres=gpu:1
#SBATCH --time=04:00:00
#SBATCH --output=invseg-%A_%a.log
set -euo pipefail
input=${1:?usage: slurm-batch.sh INPUT_DIR OUTPUT_DIR CLASSES [extra invseg options]}
output=${2:?output folder}
classes=${3:?comma-separated class names}
shift 3
shards=${SLURM_ARRAY_TASK_COUNT:?submit with sbatch --array=0-(N-1)}
device=cpu
if command -v nvidia-smi >/dev/null 2>&1 && [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then device=cuda; fi
exec invseg batch --input "$input" --out "$output" --classes "$classes" \
  --shard "${SLURM_ARRAY_TASK_ID}/${shards}" --resume --keep-going --device "$device" \
  --format voc,labelme,coco "$@"
