#!/usr/bin/env bash
# Fails when a tracked .cpp file is named by no CMake list (the build's source lists are explicit, not globbed: a file
# added without its list entry would silently not be built). Prints each such file.
#   packaging/check-sources.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t lists < <(git ls-files --cached --others --exclude-standard 'CMakeLists.txt' '*/CMakeLists.txt' '*.cmake')
missing=()
while read -r f; do
  name=$(basename "$f")
  dir=$(dirname "$f")
  # The file's name must appear in a CMake list of its folder or of a folder above it.
  found=0
  for l in "${lists[@]}"; do
    ldir=$(dirname "$l")
    [[ $ldir == . || $dir == "$ldir" || $dir == "$ldir"/* ]] || continue
    if grep -qw -- "$name" "$l"; then found=1; break; fi
  done
  [[ $found -eq 1 ]] || missing+=("$f")
done < <(git ls-files '*.cpp')
if [[ ${#missing[@]} -gt 0 ]]; then
  printf '%s\n' "${missing[@]}"
  echo "check-sources: ${#missing[@]} .cpp files are in no CMake source list" >&2
  exit 1
fi
echo "check-sources: every tracked .cpp is in a CMake source list" >&2
