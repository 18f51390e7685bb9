#!/usr/bin/env bash
# Lists the C++ files that .clang-format would change and exits 1 when there are any (0 when all are formatted).
#   packaging/check-format.sh              every tracked .cpp/.h of the repository
#   packaging/check-format.sh FILE...      just these files
# Needs clang-format (Debian 12: apt install clang-format, version 14); CLANG_FORMAT names another binary.
# Generated tables (written by their gen_*.py scripts) are left out.
set -euo pipefail

cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null; then
  echo "check-format: $clang_format not found (apt install clang-format)" >&2
  exit 2
fi

if [[ $# -gt 0 ]]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files '*.cpp' '*.h' | grep -v -e '^core/src/text/unicode_tables\.cpp$' \
                                                         -e '^core/src/export/colormap_tables\.h$')
fi

bad=()
for f in "${files[@]}"; do
  "$clang_format" --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done

if [[ ${#bad[@]} -gt 0 ]]; then
  printf '%s\n' "${bad[@]}"
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not formatted as .clang-format says" \
       "(clang-format -i FILE fixes one)" >&2
  exit 1
fi
echo "check-format: all ${#files[@]} files formatted" >&2
