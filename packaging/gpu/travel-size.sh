#!/usr/bin/env bash
# What a run on the GPU machine would carry, in bytes: the working tree's tracked files and the untracked files git does
# not ignore (what the device tool copies; a symbolic link counts as itself), plus the carried paths named as
# arguments (packaging/gpu/deps). The tool takes at most 64 MiB; this fails above LIMIT_MIB (default 60) to leave room.
#   packaging/gpu/travel-size.sh [CARRIED_PATH...]        prints one line; exit 1 above the limit, 2 on a usage error
# Outside a git checkout (the copy on the GPU machine has no .git) every file under the root counts.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
limit_mib=${LIMIT_MIB:-60}
cd "$root"
sum_sizes() { xargs -0 -r stat -c %s -- 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  tree=$(git ls-files -z --cached --others --exclude-standard | sum_sizes)
  how="tracked + untracked-not-ignored files"
else
  tree=$(find . \( -type f -o -type l \) -not -path './build*' -print0 | sum_sizes)
  how="every file but build folders"
fi
carried=0
for p in "$@"; do
  [[ -e $p ]] || { echo "travel-size: no $p to carry" >&2; exit 2; }
  carried=$((carried + $(find "$p" \( -type f -o -type l \) -print0 | sum_sizes)))
done
total=$((tree + carried))
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
echo "travel-size: $(mib "$total") MiB would travel ($(mib "$tree") MiB of $how, $(mib "$carried") MiB carried: ${*:-nothing}); limit $limit_mib MiB"
[[ $total -le $((limit_mib * 1048576)) ]] || { echo "travel-size: over $limit_mib MiB: a GPU run could not start (the tool takes 64 MiB at most)" >&2; exit 1; }
