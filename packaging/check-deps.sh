#!/usr/bin/env bash
# Checks that a build tree needs nothing beyond what packaging/install-deps.sh installs:
#   - every system header the compiler read (the dependency files in the build tree: Makefile generator
#     *.o.d / compiler_depend.make / depend.make, or ninja's log), and
#   - every shared library the built programs, test executables and libraries load (ldd)
# must belong (dpkg -S) to a package that a minimal Debian 12 (the Essential and required packages and apt)
# has or that apt installs for `install-deps.sh --list` on such a system (apt-get --print-uris against an empty
# package status, so virtual packages and "a | b" alternatives resolve as they would on a fresh machine, not
# to whatever happens to be installed here). Files no package owns (/usr/local, other checkouts) fail too;
# files inside the source and build trees are the project's own.
#
#   packaging/check-deps.sh [--engine] [--venv DIR] [BUILD_DIR]     (BUILD_DIR defaults to build)
#     --engine     check against `install-deps.sh --engine --list` (a -DINVSEG_BUILD_GUI=OFF build)
#     --venv DIR   the project's venv (packaging/torch2/make-venv.sh installs it from requirements.txt alone): its files
#                  count as the project's own, as the source and build trees do (the GPU flavour, make build CUDA=1,
#                  takes PyTorch and the CUDA compiler and headers from it; a system CUDA toolkit in /usr/local fails)
# Exit status: 0 all files accounted for, 1 some are not (each is printed with its package), 2 usage or setup error.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
start=$(date +%s%N)
list_args=()
build=build
venv=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine) list_args+=(--engine) ;;
    --venv) venv=${2:?--venv needs a folder}; shift ;;
    -h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "check-deps: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) build=$1 ;;
  esac
  shift
done
die() { echo "check-deps: $*" >&2; exit 2; }
[[ -f $build/CMakeCache.txt ]] || die "$build is not a CMake build tree (no CMakeCache.txt)"
build=$(cd "$build" && pwd -P)
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
[[ -d $src ]] || die "the source tree of $build ($src) is not there"
src=$(cd "$src" && pwd -P)
if [[ -n $venv ]]; then
  [[ -x $venv/bin/python ]] || die "--venv $venv is not a venv (no bin/python)"
  venv=$(cd "$venv" && pwd -P)
fi
for tool in dpkg-query apt-get ldd perl realpath; do
  command -v "$tool" >/dev/null || die "needs $tool"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- 1. The packages a fresh machine has after install-deps.sh -------------------------------------------------
mapfile -t listed < <(bash "$here/install-deps.sh" "${list_args[@]}" --list)
[[ ${#listed[@]} -gt 0 ]] || die "install-deps.sh ${list_args[*]} --list printed no packages"
mapfile -t base < <(dpkg-query -W -f='${Package}\t${Essential}\t${Priority}\t${db:Status-Abbrev}\n' |
                    awk -F'\t' '($2 == "yes" || $3 == "required") && $4 ~ /^ii/ { print $1 }')
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  [[ $(id -u) -eq 0 ]] || die "apt has no package lists: run 'sudo apt-get update' first"
  echo "check-deps: apt has no package lists, running apt-get update"
  apt-get update -qq
fi
: >"$tmp/empty-status"
mkdir -p "$tmp/archives/partial"
# --print-uris names every .deb apt would fetch for an empty system (the archive folder is empty too), without
# the install ordering a --simulate computes; the saved file name is PACKAGE_VERSION_ARCH.deb.
if ! apt-get --print-uris -qq -o Dir::State::status="$tmp/empty-status" -o Dir::Cache::archives="$tmp/archives" \
       -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o Debug::NoLocking=1 \
       install --no-install-recommends apt "${base[@]}" "${listed[@]}" >"$tmp/resolve" 2>&1; then
  cat "$tmp/resolve" >&2
  die "apt cannot install the packages of install-deps.sh ${list_args[*]} --list on a minimal system (above)"
fi
awk '$1 ~ /^\047/ { sub(/_.*/, "", $2); print $2 }' "$tmp/resolve" | sort -u >"$tmp/allowed"
[[ -s $tmp/allowed ]] || die "apt named no packages to install for an empty system"

# --- 2. System headers the build read -------------------------------------------------------------------------
# Make-style dependency files: "target: dep dep \" with continuation lines; "\ " escapes a space. Relative paths
# (ccache's CCACHE_BASEDIR writes them) are relative to where the compiler ran: for the Makefile generator's
# *.o.d the folder that holds CMakeFiles/, for ninja and for CMake's consolidated files the top of the build tree.
ninja=0
[[ -f $build/build.ninja ]] && ninja=1
{
  find "$build" \( -name '*.o.d' -o -name compiler_depend.make -o -name depend.make \) -type f -print0 |
    xargs -0 -r perl -e 'my ($build, $ninja) = splice @ARGV, 0, 2;
      for my $file (@ARGV) {
        my $dir = $build;
        $dir = $1 if !$ninja && $file =~ m{\.o\.d$} && $file =~ m{^(.*)/CMakeFiles/[^/]+\.dir/};
        open my $fh, "<", $file or next;
        while (<$fh>) {
          next if /^\s*#/; s/\\\n$//; s/\\ /\x00/g;
          for (split /\s+/) { s/:$//; next if $_ eq ""; s/\x00/ /g; print m{^/} ? "$_\n" : "$dir/$_\n" }
        }
      }' "$build" "$ninja"
  if [[ $ninja -eq 1 ]]; then
    command -v ninja >/dev/null || die "$build is a ninja build tree: needs ninja to read its dependency log"
    ninja -C "$build" -t deps | sed -n 's/^    //p' | awk -v b="$build" '{ print (substr($0, 1, 1) == "/") ? $0 : b "/" $0 }'
  fi
} | sort -u >"$tmp/headers.raw"
[[ -s $tmp/headers.raw ]] || die "no compiler dependency files in $build: build it first"
# Normalise a/b/../c without following links (dpkg knows the paths as packaged), then drop the project's own.
own() { awk -v s="$src/" -v b="$build/" -v v="${venv:+$venv/}" 'index($0, s) != 1 && index($0, b) != 1 && (v == "" || index($0, v) != 1)'; }
xargs -d '\n' -r realpath -s -m <"$tmp/headers.raw" | sort -u | own >"$tmp/headers"

# --- 3. Shared libraries the built programs load ----------------------------------------------------------------
find "$build" -path "$build/CMakeFiles" -prune -o -path '*/_CPack_Packages' -prune -o -type f \
     \( -perm -u+x -o -name '*.so' -o -name '*.so.*' \) -print0 |
  xargs -0 -r perl -e 'for (@ARGV) { open my $f, "<", $_ or next; read $f, my $m, 4; print "$_\n" if $m eq "\x7fELF" }' \
  >"$tmp/elves"
[[ -s $tmp/elves ]] || die "no programs or libraries in $build: build it first"
mapfile -t elves <"$tmp/elves"
# ldd names each file before its list when given several (the first file is given twice so that there always are);
# "NAME => not found" is a library the loader misses.
ldd "${elves[@]}" "${elves[0]}" 2>&1 | awk '
  /^[^\t].*:$/ { prog = substr($0, 1, length($0) - 1); next }
  /=> not found/ { print "missing\t" $1 "\t" prog; next }
  $2 == "=>" && $3 ~ /^\// { print "lib\t" $3 "\t" prog; next }
  $1 ~ /^\// { print "lib\t" $1 "\t" prog }' >"$tmp/ldd"
awk -F'\t' '$1 == "lib" { print $2 }' "$tmp/ldd" | xargs -d '\n' -r realpath -s -m | sort -u | own >"$tmp/libs"
n_programs=${#elves[@]}

# --- 4. Owners: one dpkg-query call for all files, a second one for what the first did not find ----------------
cat "$tmp/headers" "$tmp/libs" | sort -u >"$tmp/files"
owners() {  # stdin: paths; stdout: "path<TAB>pkg, pkg"
  xargs -d '\n' -r dpkg-query -S 2>/dev/null | perl -ne 'next if /^diversion by /; chomp;
    if (/^(.+?): (\/.*)$/) { print "$2\t$1\n" }' || true
}
owners <"$tmp/files" | sort -t$'\t' -k1,1 -u >"$tmp/owned.1"
cut -f1 "$tmp/owned.1" | comm -23 "$tmp/files" - >"$tmp/unowned.1"
# Not found as written: try it with links resolved (alternatives such as libblas.so.3) and across the merged /usr
# (ldd may say /usr/lib where the package says /lib, and the other way round).
perl -MCwd=realpath -ne 'chomp; my $o = $_; my @c = ($o); my $r = realpath($o); push @c, $r if defined $r && $r ne $o;
  my @all;
  for my $p (@c) { push @all, $p; (my $q = $p) =~ s{^/usr/(lib|lib32|lib64|libx32|bin|sbin)/}{/$1/} and push @all, $q;
                   ($q = $p) =~ s{^/(lib|lib32|lib64|libx32|bin|sbin)/}{/usr/$1/} and push @all, $q; }
  my %seen; print "$_\t$o\n" for grep { $_ ne $o && !$seen{$_}++ } @all;' "$tmp/unowned.1" >"$tmp/candidates"
cut -f1 "$tmp/candidates" | sort -u | owners | sort -t$'\t' -k1,1 -u >"$tmp/owned.2"
# path<TAB>owners for every file; "-" where no package owns it.
perl -F'\t' -lane '
  BEGIN { open my $c, "<", shift @ARGV; while (<$c>) { chomp; my ($cand, $orig) = split /\t/; push @{$cand{$orig}}, $cand }
          open my $o, "<", shift @ARGV; while (<$o>) { chomp; my ($p, $w) = split /\t/; $own{$p} = $w } }
  my $p = $F[0]; if (defined $F[1]) { print "$p\t$F[1]"; next }
  my ($w) = grep { defined } map { $own{$_} } @{$cand{$p} // []}; print "$p\t", $w // "-"' \
  "$tmp/candidates" "$tmp/owned.2" <(join -t$'\t' -a1 "$tmp/files" "$tmp/owned.1") >"$tmp/owned"

# --- 5. Verdict --------------------------------------------------------------------------------------------------
perl -F'\t' -lane '
  BEGIN { open my $a, "<", shift @ARGV; while (<$a>) { chomp; $ok{$_} = 1 } }
  my @pk = map { s/:[^:]*$//r } split /, /, $F[1];
  next if grep { $ok{$_} } @pk;
  print join(", ", @pk) eq "-" ? "(no package)" : join(", ", @pk), "\t$F[0]"' "$tmp/allowed" "$tmp/owned" |
  sort >"$tmp/bad"
awk -F'\t' '$1 == "missing"' "$tmp/ldd" | sort -u >"$tmp/missing"
n_pkgs=$(cut -f2 "$tmp/owned" | tr ',' '\n' | sed 's/^ //; s/:[^:]*$//' | { grep -vx -- - || true; } | sort -u | wc -l)
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
echo "check-deps: $build (source $src): system headers read: $(wc -l <"$tmp/headers"); shared libraries loaded:" \
     "$(wc -l <"$tmp/libs") (by $n_programs programs and libraries); their packages: $n_pkgs." \
     "install-deps.sh ${list_args[*]:+${list_args[*]} }--list: ${#listed[@]} packages, $(wc -l <"$tmp/allowed") with" \
     "what apt installs with them on a minimal Debian 12"
status=0
if [[ -s $tmp/missing ]]; then
  echo "check-deps: FAIL: libraries the loader does not find:"
  awk -F'\t' '{ printf "  %s (needed by %s)\n", $2, $3 }' "$tmp/missing"
  status=1
fi
if [[ -s $tmp/bad ]]; then
  echo "check-deps: FAIL: files from outside what packaging/install-deps.sh ${list_args[*]:+${list_args[*]} }installs:" \
       "$(wc -l <"$tmp/bad") (each file, then the package that owns it here):"
  awk -F'\t' '{ printf "  %s  %s\n", $2, $1 }' "$tmp/bad"
  add=$(cut -f1 "$tmp/bad" | { grep -vx '(no package)' || true; } | sort -u | tr '\n' ' ')
  [[ -z $add ]] || echo "check-deps: packages to add to packaging/install-deps.sh (or stop using): $add"
  if grep -q '^(no package)' "$tmp/bad"; then
    echo "check-deps: files no package owns come from a hand install or another checkout: a fresh machine lacks them"
  fi
  status=1
fi
[[ $status -ne 0 ]] || echo "check-deps: OK"
echo "check-deps: ${elapsed} ms"
exit $status
