#!/usr/bin/env bash
# ./vmcomm test-matrix: `./vmcomm test` as a new user would run it, from a clone of this repository
# (its HEAD commit), in a fresh `debootstrap --variant=minbase` root per Debian release, one
# summary line per release. Needs root and debootstrap; bash only (a minbase root has no python3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RELEASES="bookworm,trixie,sid"
CHECK_VALID_UNTIL=1
CACHE_DIR="${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/sriov-vmcomm/test-matrix"
WORK_DIR="${TMPDIR:-/var/tmp}/vmcomm-test-matrix"
MIRROR=""
KEEP=0

usage() {
  cat <<USAGE
usage: ./vmcomm test-matrix [--releases=bookworm,trixie,sid] [--no-check-valid-until]
                            [--cache-dir=DIR] [--work-dir=DIR] [--mirror=URI] [--keep]
  --releases=LIST         Debian releases to test, comma-separated (default $RELEASES)
  --no-check-valid-until  let apt (debootstrap's and ./vmcomm's, inside each root) accept a
                          Release file past its Valid-Until date (a frozen mirror)
  --cache-dir=DIR         debootstrap base tarballs and downloaded .debs, kept between runs
                          (default $CACHE_DIR)
  --work-dir=DIR          the roots and one log per release (default $WORK_DIR)
  --mirror=URI            Debian mirror (default: the host's, from /etc/apt/sources.list.d/debian.sources)
  --keep                  keep each release's root after its run (default: deleted, logs stay)
USAGE
}

die() { echo "vmcomm test-matrix: $*" >&2; exit 2; }

for arg in "$@"; do
  case "$arg" in
    --releases=*) RELEASES="${arg#*=}" ;;
    --no-check-valid-until) CHECK_VALID_UNTIL=0 ;;
    --cache-dir=*) CACHE_DIR="${arg#*=}" ;;
    --work-dir=*) WORK_DIR="${arg#*=}" ;;
    --mirror=*) MIRROR="${arg#*=}" ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$arg'" ;;
  esac
done

IFS=, read -r -a RELEASE_LIST <<<"$RELEASES"
[ ${#RELEASE_LIST[@]} -gt 0 ] || die "--releases: empty list; allowed: bookworm, trixie, sid (or another Debian suite)"
for r in "${RELEASE_LIST[@]}"; do
  [[ "$r" =~ ^[a-z]+$ ]] || die "--releases: '$r' is not a Debian release name (bookworm, trixie, sid ...)"
done
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
if ! command -v debootstrap >/dev/null; then
  echo "vmcomm test-matrix: installing debootstrap" >&2
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap; } >&2 \
    || die "needs debootstrap, and apt-get could not install it: apt-get install debootstrap"
fi
[ -d "$ROOT/.git" ] || [ -f "$ROOT/.git" ] || die "$ROOT is not a git repository (the matrix tests a clone of it)"

# The host's Debian mirror: the first URIs of debian.sources (or sources.list) serving /debian.
if [ -z "$MIRROR" ]; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    MIRROR="$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources | tr ' ' '\n' \
      | grep -v -- '-security' | head -n 1 || true)"
  fi
  if [ -z "$MIRROR" ] && [ -f /etc/apt/sources.list ]; then
    MIRROR="$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list || true)"
  fi
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
fi
SECURITY_MIRROR="${MIRROR%/debian}/debian-security"

mkdir -p "$CACHE_DIR" "$WORK_DIR"
HEAD="$(git -C "$ROOT" rev-parse --short HEAD)"
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
  echo "vmcomm test-matrix: testing commit $HEAD; uncommitted changes are not part of the clone" >&2
fi

# Everything mounted, unmounted on exit whatever happens (innermost first).
MOUNTS=()
cleanup() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
  done
  MOUNTS=()
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

mount_in() { # mount_in DIR mount-args...
  local dir="$1"; shift
  mkdir -p "$dir"
  mount "$@" "$dir"
  MOUNTS+=("$dir")
}

# apt's sources for RELEASE: the host's debian.sources with its suites replaced (sid has no
# -updates or -security suites).
write_sources() { # write_sources RELEASE ROOTDIR
  local r="$1" dir="$2" suites security=""
  if [ "$r" = sid ] || [ "$r" = unstable ]; then
    suites="$r"
  else
    suites="$r $r-updates"
    security="$r-security"
  fi
  rm -f "$dir/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$MIRROR" "$suites"
    if [ -n "$security" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$SECURITY_MIRROR" "$security"
    fi
  } >"$dir/etc/apt/sources.list.d/debian.sources"
}

# One release: fresh root, clone, ./vmcomm test. Sets LINE to the summary line; returns 0 if all
# passed. Runs in this shell (not a subshell), so the EXIT trap knows its mounts.
run_release() {
  local r="$1" dir="$WORK_DIR/$r" log="$WORK_DIR/$r.log" tarball="$CACHE_DIR/$r-minbase.tgz"
  local start=$SECONDS status=0 ns3="-" passed="-" failed="-" what
  local debopts=(--variant=minbase --include=git,ca-certificates)
  : >"$log"
  echo "vmcomm test-matrix: $r: root $dir, log $log" >&2
  if mountpoint -q "$dir/proc" 2>/dev/null; then die "$dir/proc is still mounted: unmount it first"; fi
  rm -rf "$dir"
  if [ ! -s "$tarball" ]; then
    echo "vmcomm test-matrix: $r: caching the base packages in $tarball" >&2
    # Downloads: three tries, 10 s apart (a mirror or the network fails now and then).
    local try
    for try in 1 2 3; do
      status=0
      debootstrap "${debopts[@]}" --make-tarball="$tarball.part" "$r" "$dir.tarball" "$MIRROR" >>"$log" 2>&1 \
        && mv "$tarball.part" "$tarball" || { rm -rf "$dir.tarball" "$tarball.part"; status=1; }
      rm -rf "$dir.tarball"
      [ $status -eq 0 ] && break
      [ $try -lt 3 ] && { echo "vmcomm test-matrix: $r: debootstrap failed ($try/3), retrying in 10 s" >&2; sleep 10; }
    done
  fi
  if [ $status -eq 0 ]; then
    debootstrap "${debopts[@]}" --unpack-tarball="$tarball" "$r" "$dir" "$MIRROR" >>"$log" 2>&1 || status=1
  fi
  what="debootstrap failed"
  if [ $status -eq 0 ]; then
    write_sources "$r" "$dir"
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    if [ $CHECK_VALID_UNTIL -eq 0 ]; then
      echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99vmcomm-test-matrix"
    fi
    mount_in "$dir/proc" -t proc proc
    mount_in "$dir/dev/shm" -t tmpfs tmpfs
    # Downloaded .debs, kept per release between runs.
    mkdir -p "$CACHE_DIR/$r-debs/partial"
    mount_in "$dir/var/cache/apt/archives" --bind "$CACHE_DIR/$r-debs"
    what="clone failed"
    # Not under /root (mode 0700): the tests run a sweep as another user, who must read the tree.
    if git clone --quiet --no-hardlinks "$ROOT" "$dir/srv/sriov-vmcomm" >>"$log" 2>&1; then
      what="./vmcomm test failed"
      chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        bash -c 'cd /srv/sriov-vmcomm && ./vmcomm test' >>"$log" 2>&1 || status=1
      ns3="$(chroot "$dir" dpkg-query -W -f='${Version}' libns3-dev 2>/dev/null || true)"
      ns3="${ns3:--}"
    else
      status=1
    fi
    cleanup
  fi
  # ctest's summary: "100% tests passed, 0 tests failed out of 250".
  local line
  line="$(grep -E '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1 || true)"
  if [ -n "$line" ]; then
    failed="$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')"
    local total
    total="$(echo "$line" | sed -E 's/.* tests failed out of ([0-9]+).*/\1/')"
    passed=$((total - failed))
    [ "$failed" -eq 0 ] || what="tests failed"
  fi
  local minutes
  minutes="$(awk -v s=$((SECONDS - start)) 'BEGIN { printf "%.1f", s / 60 }')"
  if [ $status -eq 0 ]; then what="ok"; fi
  LINE="$(printf '%-9s ns-3 %-12s passed %-4s failed %-4s %5s min  %s' "$r" "$ns3" "$passed" "$failed" "$minutes" "$what")"
  if [ $KEEP -eq 0 ]; then rm -rf "$dir"; fi
  return $status
}

overall=0
summary=()
total_start=$SECONDS
for r in "${RELEASE_LIST[@]}"; do
  LINE=""
  run_release "$r" || overall=1
  echo "$LINE"
  summary+=("$LINE")
done
echo "vmcomm test-matrix: commit $HEAD, mirror $MIRROR, $(awk -v s=$((SECONDS - total_start)) 'BEGIN { printf "%.1f", s / 60 }') min in all" >&2
printf '%s\n' "${summary[@]}" >"$WORK_DIR/summary.txt"
exit $overall
