# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared settings for the ptimer-ng scripts; sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${PTIMER_CACHE:-$TOP/build}
DL=$CACHE/downloads          # kept by 'make clean'
SRC=${PTIMER_SRC:-$CACHE/src}  # assembled git tree: pristine + ours + patches
BLD=$CACHE/qemu-build        # meson build directory
ABLD=$CACHE/asan-build       # the same, with ASan + UBSan
OUTDIR=$CACHE/out            # logs, series, demo guest
# meson takes the compiler found in PATH at configure time: use ccache's.
# Paths under the cache are hashed relative to it, so another clone (CI)
# hits the same ccache entries.
[ -d /usr/lib/ccache ] && case ":$PATH:" in *:/usr/lib/ccache:*) ;; *) PATH=/usr/lib/ccache:$PATH ;; esac
export CCACHE_BASEDIR=$CACHE CCACHE_NOHASHDIR=1
TARGETS=${PTIMER_TARGETS:-arm-softmmu,aarch64-softmmu,m68k-softmmu,sh4-softmmu,sparc-softmmu,microblaze-softmmu,ppc-softmmu}

# QEMU's own qtests of ptimer devices (ours are every tests/qtest/*.c here).
UPSTREAM_PTIMER_QTESTS="cmsdk-apb-dualtimer-test cmsdk-apb-timer-test cmsdk-apb-watchdog-test
    test-arm-mptimer sse-timer-test xlnx-can-test xlnx-canfd-test fuzz-xlnx-dp-test"

# The fixed identity and date of the commits we make in the assembled
# tree, so that the series comes out the same every time.
export GIT_AUTHOR_NAME="ptimer-ng" GIT_AUTHOR_EMAIL="ptimer-ng@example.org"
export GIT_COMMITTER_NAME="ptimer-ng" GIT_COMMITTER_EMAIL="ptimer-ng@example.org"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

# test_program NAME: the program a meson test name runs, in the build dir
test_program() {
    case $1 in
        qtest-*) echo "tests/qtest/${1#*/}" ;;
        *) echo "tests/unit/$1" ;;
    esac
}

# configure_qemu DIR [OPTION...]: configure the assembled tree in build
# directory DIR for $TARGETS with our usual options plus OPTIONs, unless
# DIR already holds that configuration.  On failure: the tail of
# DIR/configure.log on stderr, status 1.
configure_qemu() {
    local dir=$1
    shift
    local want="--target-list=$TARGETS${*:+ $*}"

    if [ -f "$dir/build.ninja" ] &&
       [ "$(cat "$dir/.ptimer-ng-config" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    log "configuring QEMU in $dir ($want)"
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && "$SRC/configure" --python=/usr/bin/python3 --disable-docs \
        --disable-werror --disable-install-blobs --disable-download $want) \
        > "$dir/configure.log" 2>&1 || {
        tail -n 30 "$dir/configure.log" >&2
        return 1
    }
    echo "$want" > "$dir/.ptimer-ng-config"
}

# The sanitizer runtime settings of our ASan + UBSan runs: a report ends
# the process (so the test sees it) and is printed whole; reports in
# QEMU code outside this series are listed in scripts/ubsan.supp.
sanitizer_env() {
    export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=0:print_summary=1
    export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1:suppressions=$TOP/scripts/ubsan.supp
}

log() { printf '\033[1m[ptimer-ng]\033[0m %s\n' "$*" >&2; }
die() { printf '[ptimer-ng] error: %s\n' "$*" >&2; exit 1; }

need_root() {
    [ "$(id -u)" = 0 ] || die "run as root (apt-get is needed)"
}

# retry N CMD...: run CMD up to N times, 5 s apart
# fetch_debian_guest ARCH FLAVOUR DIR: Debian's linux-image-FLAVOUR:ARCH
# (the version its metapackage points at) and busybox-static:ARCH,
# unpacked into DIR/root (modules left out); DIR/.done marks a complete
# fetch.
fetch_debian_guest() {
    local arch=$1 flavour=$2 gdir=$3 deb
    need_root
    mkdir -p "$gdir"
    dpkg --print-foreign-architectures | grep -qx "$arch" ||
        [ "$(dpkg --print-architecture)" = "$arch" ] || {
        log "dpkg --add-architecture $arch"
        dpkg --add-architecture "$arch"
    }
    # 'apt-get update' may fail on a foreign index (mirror sync): retry
    # until the kernel metapackage resolves.
    guest_kernel() {
        apt-get update -q > "$gdir/apt-update.log" 2>&1 || true
        kpkg=$(apt-cache depends "linux-image-$flavour:$arch" 2>/dev/null |
               awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
        [ -n "$kpkg" ]
    }
    log "apt-get update ($arch index)"
    retry 3 guest_kernel ||
        die "could not resolve linux-image-$flavour:$arch from deb.debian.org (see $gdir/apt-update.log)"
    log "downloading $kpkg and busybox-static:$arch"
    rm -rf "$gdir/debs" "$gdir/root"
    mkdir -p "$gdir/debs" "$gdir/root"
    (cd "$gdir/debs" && retry 3 apt-get download -q "${kpkg%:*}:$arch" "busybox-static:$arch") \
        > "$gdir/download.log" 2>&1 ||
        die "could not download $kpkg / busybox-static:$arch (see $gdir/download.log)"
    for deb in "$gdir"/debs/*.deb; do
        dpkg-deb -x "$deb" "$gdir/root" || die "could not unpack $deb"
    done
    rm -rf "$gdir/root/lib/modules"    # ~200 MB the initramfs does not need
    touch "$gdir/.done"
}

# stage_initramfs DIR BUSYBOX: a fresh initramfs tree in DIR holding the
# static BUSYBOX and our /init (scripts/guest-init.sh); add files, then
# pack_initramfs DIR OUT writes it as a gzipped newc cpio to OUT.
stage_initramfs() {
    rm -rf "$1"
    mkdir -p "$1"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp}
    cp "$2" "$1/bin/busybox"
    ln -s busybox "$1/bin/sh"
    install -m 755 "$TOP/scripts/guest-init.sh" "$1/init"
}
pack_initramfs() {
    (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9) > "$2"
}

retry() {
    local n=$1 i
    shift
    for ((i = 1; i <= n; i++)); do
        "$@" && return 0
        [ "$i" -lt "$n" ] && { log "retrying ($i/$n): $*"; sleep 5; }
    done
    return 1
}

# Serialise the steps that write into the cache (assemble, build, tests):
# the machine has two cores and one build directory.  Nested scripts
# inherit the lock.
lock_cache() {
    [ -n "${PTIMER_LOCKED:-}" ] && return 0
    mkdir -p "$CACHE"
    exec 9>"$CACHE/.lock"
    flock 9
    export PTIMER_LOCKED=1
}
