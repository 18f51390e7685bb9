#!/usr/bin/env bash
# Runs the README's quick start on a fresh, minimal Debian 12: debootstraps bookworm (--variant=minbase) into a
# scratch folder, installs only make, git and ca-certificates there, puts a clean clone of one commit of the
# repository in /root/invseg-studio (nothing beside it), and runs as root in a chroot, as a user would:
#   make run    under xvfb-run (which install-deps.sh installs), with --screenshot and --run, so the window opens,
#               segments the sample, saves a picture of itself and quits
#   make test
# With --cuda, the GPU flavour instead: make run CUDA=1 (PyTorch with CUDA, the CUDA compiler and headers from PyPI
# into the project's venv, the whole product built against it), the same screenshot, a check that the window's
# program links libtorch_cuda.so and says why it runs on the CPU (a chroot has no GPU), then make test CUDA=1.
# Each phase prints its time; the whole output goes to WORK/logs/fresh-DATE.log (the window's picture beside it).
# Needs root, debootstrap and the network to a Debian mirror. Slow (a full build): not part of .ci/run.
#
#   packaging/check-fresh-debian.sh [options] [REF]      REF: commit, branch or tag (default HEAD)
#     --repo PATH          repository to clone (default: the one holding this script)
#     --work DIR           scratch folder (default /var/tmp/invseg-fresh-debian): base/ the cached minimal
#                          system, root/ this run's copy of it, apt-archives/ the .debs fetched so far, logs/
#     --mirror URL         Debian mirror (default http://deb.debian.org/debian)
#     --new-base           debootstrap again even if base/ is there (it is reused by default)
#     --keep               keep root/ after the run, to look inside (default: delete it)
#     --stop-after PHASE   base: stop once the system and the clone are ready; deps: after `make deps`
#     --timeout SECONDS    limit for each of make run and make test (default 7200)
#     --ccache DIR         compile through ccache with this cache folder (bind-mounted; ccache is installed in the
#                          chroot before the quick start): saves CPU on a rerun. A cache cannot stand in for a
#                          missing header or library (a header the chroot lacks fails the compile as without it).
#     --cuda               the GPU flavour's commands (make run CUDA=1, make test CUDA=1; see above)
#     --no-test            skip make test (the build and the window only)
# The wheels pip downloads are kept in WORK/pip-cache for the next run, as apt's .debs are in WORK/apt-archives (pip
# checks them against the index as for any download; the venv is still made from scratch).
# Exit status: 0 both commands passed, 1 one failed, 2 usage or setup error.
set -euo pipefail

die() { echo "check-fresh-debian: $*" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || true)
work=/var/tmp/invseg-fresh-debian
mirror=http://deb.debian.org/debian
new_base=0 keep=0 stop_after="" timeout_s=7200 ref=HEAD ccache_dir="" cuda=0 run_tests=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repo) repo=${2:?}; shift ;;
    --work) work=${2:?}; shift ;;
    --mirror) mirror=${2:?}; shift ;;
    --new-base) new_base=1 ;;
    --keep) keep=1 ;;
    --stop-after) stop_after=${2:?}; shift; [[ $stop_after == base || $stop_after == deps ]] || die "--stop-after base|deps" ;;
    --timeout) timeout_s=${2:?}; shift ;;
    --ccache) ccache_dir=$(cd "${2:?}" && pwd -P) || die "--ccache: no folder $2"; shift ;;
    --cuda) cuda=1 ;;
    --no-test) run_tests=0 ;;
    -h|--help) sed -n '2,29s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *) ref=$1 ;;
  esac
  shift
done
[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || die "needs debootstrap (apt-get install debootstrap)"
[[ -n $repo ]] && git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 || die "no repository (--repo PATH)"
commit=$(git -C "$repo" rev-parse --verify "$ref^{commit}") || die "$ref is not a commit of $repo"

mkdir -p "$work/logs"
work=$(cd "$work" && pwd -P)
base=$work/base root=$work/root
exec 9>"$work/.lock"
flock -n 9 || die "another run is using $work"
stamp=$(date -u +%Y%m%d-%H%M%S)
log=$work/logs/fresh-$stamp.log
exec > >(tee -a "$log") 2>&1

t0=$(date +%s)
phase_start=$t0
phases=()
phase() {  # phase NAME RESULT: record how long the phase since the last call took
  local now; now=$(date +%s)
  phases+=("$(printf '%-28s %6d s  %s' "$1" $((now - phase_start)) "$2")")
  echo "check-fresh-debian: [$(date -u +%H:%M:%S)] $1: $2 after $((now - phase_start)) s"
  phase_start=$now
}

# --- mounts, and their removal whatever happens -----------------------------------------------------------------
mounted=()
mount_in() {  # mount_in ROOT TARGET ARGS...: mount, and remember it for umount_all
  local target=$1/$2; shift 2
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}
umount_all() {
  local i proc
  # Processes still running inside the chroot were started by this script (e.g. an Xvfb a timeout orphaned).
  for proc in /proc/[0-9]*; do
    [[ $(readlink "$proc/root" 2>/dev/null) == "$root" ]] && kill -9 "${proc#/proc/}" 2>/dev/null || true
  done
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || echo "check-fresh-debian: cannot unmount ${mounted[i]}"
  done
  mounted=()
}
no_mounts_under() { ! awk -v d="$1/" 'index($2 "/", d) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; }
remove_tree() {  # never through a mount that is still there
  [[ -e $1 ]] || return 0
  no_mounts_under "$1" || die "$1 still has mounts in it: not removing it"
  rm -rf --one-file-system "$1"
}
cleanup() {
  umount_all
  if [[ $keep -eq 0 && -d $root ]]; then remove_tree "$root"; fi
  rm -rf --one-file-system "$base.new" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_system() {  # mount_system ROOT
  mount_in "$1" proc -t proc proc
  mount_in "$1" sys -t sysfs sysfs
  mount_in "$1" dev --bind /dev
  mount_in "$1" dev/pts --bind /dev/pts
  mount_in "$1" dev/shm -t tmpfs -o mode=1777 tmpfs
  cp -L /etc/resolv.conf "$1/etc/resolv.conf"
  # The host's network trust, as its resolv.conf: CA certificates added by hand (a TLS-inspecting proxy's) and pip's
  # configuration naming the bundle, so that pip reaches PyPI from the chroot as from the host. No package comes this way.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$1/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/"
  fi
  if [[ -f /etc/pip.conf ]]; then cp /etc/pip.conf "$1/etc/pip.conf"; fi
}
cache_env=()
in_root() {  # in_root ROOT COMMAND: a shell in the chroot with a clean environment
  # In the background and waited for, so that a signal to this script ends the run at once (the trap then ends
  # what runs in the chroot and unmounts); a foreground command would delay the trap until it finished.
  chroot "$1" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${cache_env[@]}" /bin/bash -c "$2" </dev/null &
  wait $!
}

echo "check-fresh-debian: commit $commit ($ref) of $repo; work folder $work; log $log"

# --- 1. the minimal Debian 12 with make, git and ca-certificates (cached in base/) ----------------------------
if [[ $new_base -eq 1 || ! -f $base/.complete ]]; then
  remove_tree "$base.new"
  debootstrap --variant=minbase bookworm "$base.new" "$mirror"
  phase "debootstrap minbase" "done ($(chroot "$base.new" dpkg-query -W | wc -l) packages)"
  # What a Debian 12 install has and minbase does not: the updates and security suites; no services in a chroot.
  security=${mirror%/debian}/debian-security
  [[ $mirror == */debian ]] || security=http://deb.debian.org/debian-security
  rm -f "$base.new/etc/apt/sources.list"
  cat >"$base.new/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  printf '#!/bin/sh\nexit 101\n' >"$base.new/usr/sbin/policy-rc.d"
  chmod 755 "$base.new/usr/sbin/policy-rc.d"
  root=$base.new
  mount_system "$base.new"
  in_root "$base.new" 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
    apt-get install -y -qq --no-install-recommends make git ca-certificates >/dev/null && apt-get clean'
  umount_all
  root=$work/root
  touch "$base.new/.complete"
  remove_tree "$base"
  mv "$base.new" "$base"
  phase "apt: make git ca-certificates" "done ($(chroot "$base" dpkg-query -W | wc -l) packages)"
else
  phase "minimal system" "reused $base ($(chroot "$base" dpkg-query -W | wc -l) packages; --new-base to redo)"
fi

# --- 2. this run's copy of it, and the clone ----------------------------------------------------------------------
remove_tree "$root"
cp -a --reflink=auto "$base" "$root"
rm -f "$root/.complete"
git clone -q --no-checkout "$repo" "$root/root/invseg-studio"
git -C "$root/root/invseg-studio" cat-file -e "$commit^{commit}" 2>/dev/null ||
  git -C "$root/root/invseg-studio" fetch -q "$repo" "$commit"
git -C "$root/root/invseg-studio" -c advice.detachedHead=false checkout -q --detach "$commit"
[[ -z $(git -C "$root/root/invseg-studio" status --porcelain --ignored) ]] || die "the clone is not clean"
[[ $(ls "$root/root") == invseg-studio ]] || die "the clone is not alone in /root"
mount_system "$root"
# The .debs apt fetches are kept for the next run (apt checks them against the index as for any download).
mkdir -p "$work/apt-archives/partial"
mount_in "$root" var/cache/apt/archives --bind "$work/apt-archives"
mkdir -p "$work/pip-cache"
mount_in "$root" root/.cache/pip --bind "$work/pip-cache"
in_root "$root" 'if command -v update-ca-certificates >/dev/null; then update-ca-certificates >/dev/null 2>&1 || true; fi'
in_root "$root" 'cd /root/invseg-studio && git log -1 --format="check-fresh-debian: clone at %h %s" &&
  for t in make git; do command -v $t >/dev/null || exit 1; done; echo "check-fresh-debian: $(nproc) cores"'
phase "copy + clone" "done"
if [[ -n $ccache_dir ]]; then
  mount_in "$root" var/cache/invseg-ccache --bind "$ccache_dir"
  in_root "$root" 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
    apt-get install -y -qq --no-install-recommends ccache >/dev/null'
  cache_env=(CCACHE_DIR=/var/cache/invseg-ccache CCACHE_BASEDIR=/root CMAKE_CXX_COMPILER_LAUNCHER=ccache)
  phase "ccache (--ccache)" "installed; cache $ccache_dir"
fi
if [[ $stop_after == base ]]; then
  umount_all
  printf '%s\n' "${phases[@]}"
  echo "check-fresh-debian: stopped after the base system (--stop-after base); total $(( $(date +%s) - t0 )) s"
  exit 0
fi

# --- 3. the README's two commands ----------------------------------------------------------------------------------
result=0
run_phase() {  # run_phase NAME COMMAND
  local rc=0
  echo "check-fresh-debian: [$(date -u +%H:%M:%S)] $1"
  in_root "$root" "cd /root/invseg-studio && timeout -k 30 $timeout_s $2" || rc=$?
  if [[ $rc -eq 0 ]]; then phase "$1" "passed"
  elif [[ $rc -eq 124 || $rc -eq 137 ]]; then phase "$1" "FAILED (timed out after $timeout_s s)"
  else phase "$1" "FAILED (exit $rc)"; fi
  return $rc
}
if [[ $stop_after == deps ]]; then
  run_phase "make deps" "make deps" || result=1
else
  shot=/root/fresh-run.png
  flavour=""
  [[ $cuda -eq 0 ]] || flavour=" CUDA=1"
  if run_phase "make run$flavour" "make run$flavour RUN_WITH=\"xvfb-run -a -s '-screen 0 1600x1000x24'\" RUN_ARGS=\"--screenshot $shot --run\" 2>&1 | tee /root/make-run.log; test \${PIPESTATUS[0]} -eq 0"; then
    if [[ -s $root$shot ]]; then
      cp "$root$shot" "$work/logs/fresh-$stamp.png"
      echo "check-fresh-debian: the window's picture: $work/logs/fresh-$stamp.png"
    else
      phase "make run: window picture" "FAILED (make run passed but saved no picture: did the GUI build?)"
      result=1
    fi
  else
    result=1
  fi
  if [[ $cuda -eq 1 ]]; then
    # The program links the CUDA LibTorch, and said why it ran on the CPU (a chroot sees no GPU).
    if in_root "$root" 'cd /root/invseg-studio && readelf -d build-torch2/app/gui/invseg-studio | grep -q "libtorch_cuda.so" &&
        grep -m1 "invseg-studio: Runs on the CPU" /root/make-run.log'; then
      phase "links libtorch_cuda, says why CPU" "passed"
    else
      phase "links libtorch_cuda, says why CPU" "FAILED"
      result=1
    fi
  fi
  [[ $run_tests -eq 0 ]] || run_phase "make test$flavour" "make test$flavour" || result=1
fi
umount_all

echo "check-fresh-debian: summary for commit $commit ($ref)"
printf '  %s\n' "${phases[@]}"
echo "check-fresh-debian: $([[ $result -eq 0 ]] && echo PASSED || echo FAILED) in $(( $(date +%s) - t0 )) s; log $log"
[[ $keep -eq 1 ]] && echo "check-fresh-debian: kept $root"
exit $result
