#!/usr/bin/env bash
# Prepares, on this Debian 12 machine, what packaging/gpu/device-check.sh needs and a GPU machine may lack: zlib and
# libpng (headers + shared libraries), nlohmann-json (headers + CMake config) and the GoogleTest sources (built there
# with the project, so no prebuilt library has to match that machine's compiler). Debian's own packages, fetched with
# `apt-get download` and unpacked with `dpkg -x` (no root, nothing installed here):
#   packaging/gpu/prepare-deps.sh [DIR]        default: packaging/gpu/deps (gitignored; about 3 MB)
# The folder is not committed: the device machine's run tool carries it (carry: ["packaging/gpu/deps"]).
# Idempotent: a folder whose MANIFEST lists the same package versions is left alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/deps}
packages=(zlib1g zlib1g-dev libpng16-16 libpng-dev nlohmann-json3-dev googletest)

manifest=$(for p in "${packages[@]}"; do
  v=$(apt-cache policy "$p" | awk '/Candidate:/ {print $2}')
  [[ -n $v && $v != "(none)" ]] || { echo "prepare-deps: apt knows no package $p (apt-get update?)" >&2; exit 1; }
  echo "$p $v"
done; echo "layout 2: without GoogleTest's tests and samples, without static libraries")
if [[ -f $dir/MANIFEST && $(cat "$dir/MANIFEST") == "$manifest" ]]; then
  echo "prepare-deps: $dir is up to date"
  exit 0
fi
tmp=$(mktemp -d)
chmod 755 "$tmp" # apt's _apt user downloads into it
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q "${packages[@]}" >/dev/null)
rm -rf "$dir"
mkdir -p "$dir/root"
for deb in "$tmp"/*.deb; do
  dpkg -x "$deb" "$dir/root"
done
# Absolute links (usr/lib/.../libz.so -> /lib/.../libz.so.1.2.13) point into this folder instead of the machine's /.
find "$dir/root" -type l -lname '/*' | while read -r link; do
  ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$dir/root$(readlink "$link")")" "$link"
done
rm -rf "$dir/root/usr/share/doc" "$dir/root/usr/share/man" "$dir/root/usr/share/lintian"
# Only what the build reads travels (a GPU run takes at most 64 MiB with the working tree): GoogleTest's own tests and
# samples (built only with gtest_build_tests / gtest_build_samples) and the static libraries go.
rm -rf "$dir/root/usr/src/googletest/googletest/test" "$dir/root/usr/src/googletest/googlemock/test" \
       "$dir/root/usr/src/googletest/googletest/samples" "$dir/root/usr/src/googletest/docs"
find "$dir/root" -name '*.a' -delete
echo "$manifest" > "$dir/MANIFEST"
echo "prepare-deps: $dir ready ($(du -sh "$dir" | cut -f1)):"
sed 's/^/  /' "$dir/MANIFEST"
