#!/usr/bin/env bash
# Builds the .deb from a build tree, unpacks it into a scratch root (dpkg-deb -x) and runs the unpacked programs:
# `invseg --version` must find the unpacked resources (not the source tree), and a CLI segmentation of a bundled
# sample with the bundled model must write its label map.   usage: test-deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: test-deb.sh BUILD_DIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-deb: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/pkg/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "cpack wrote no .deb"
echo "test-deb: $(basename "$deb"), $(du -h "$deb" | cut -f1)"
dpkg-deb -I "$deb" >"$work/info"
grep -q '^ Depends:.*libtorch' "$work/info" || { cat "$work/info"; fail "the package does not depend on LibTorch"; }
grep -q '^ Depends:.*libopenblas0-pthread' "$work/info" || fail "the package does not depend on libopenblas0-pthread"
for lib in libpng16-16 zlib1g; do
  grep -q "^ Depends:.*$lib" "$work/info" || { cat "$work/info"; fail "the package does not depend on $lib"; }
done

root="$work/root"
dpkg-deb -x "$deb" "$root"
share="$root/usr/share/invseg-studio"
[ -x "$root/usr/bin/invseg" ] || fail "no usr/bin/invseg in the package"
[ -f "$share/clip/bpe_simple_vocab_16e6.txt.gz" ] || fail "no vocabulary in the package"
if grep -q '^INVSEG_BUILD_GUI:BOOL=ON' "$build/CMakeCache.txt" && [ -x "$build/app/gui/invseg-studio" ]; then
  [ -x "$root/usr/bin/invseg-studio" ] || fail "no usr/bin/invseg-studio in the package"
  [ -f "$root/usr/share/applications/invseg-studio.desktop" ] || fail "no desktop entry"
  for s in 16 32 48 64 128 256; do
    [ -f "$root/usr/share/icons/hicolor/${s}x${s}/apps/invseg-studio.png" ] || fail "no ${s}px icon"
  done
fi

# The unpacked CLI must use the unpacked resources.
version=$(env -u INVSEG_RESOURCE_DIR "$root/usr/bin/invseg" --version)
echo "$version"
echo "$version" | grep -qF "resources: $share" || fail "invseg --version does not report $share as its resources"

sample=$(ls "$share"/samples/*.png 2>/dev/null | grep -v '\.gt\.png$' | head -1 || true)
[ -n "$sample" ] || fail "no sample image in the package"
[ -d "$share/models/toy" ] || fail "no bundled model in the package"
env -u INVSEG_RESOURCE_DIR "$root/usr/bin/invseg" segment --image "$sample" \
  --classes-file "${sample%.png}.classes.txt" --steps 2 --out "$work/out" --format voc --quiet
stem=$(basename "${sample%.png}")
[ -s "$work/out/$stem.label.png" ] && [ -s "$work/out/$stem.report.json" ] || fail "the segmentation wrote no outputs"
grep -qF "\"path\": \"$share/models/toy\"" "$work/out/$stem.report.json" || fail "it did not use the bundled model"
echo "test-deb: ok"
