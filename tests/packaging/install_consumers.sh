#!/usr/bin/env bash
# Installs the build into a scratch root (meson install --destdir) and builds programs against the
# installed files the way an integrator would, then runs them (suite 'packaging'):
#   1. pkg-config, shared: tests/cmake-consumer/main.c; ldd shows libembedsvc.so.1
#   2. pkg-config --static: examples/c/evaluate.c linked with libembedsvc.a (when installed);
#      ldd shows no libembedsvc; examples/c/run_example.py checks its output
#   3. CMake: tests/cmake-consumer with CMAKE_PREFIX_PATH, embedsvc::embedsvc and (when
#      installed) embedsvc::embedsvc_static; find_package(embedsvc 1.0) must be refused
#   4. the installed man pages render (man -l) and have a NAME section (lexgrog)
# The scratch root is not the prefix the build was configured for, so every step also shows that
# the pkg-config file (through PKG_CONFIG_SYSROOT_DIR) and the CMake package (relative paths) are
# usable from wherever the tree ends up.
# Usage: install_consumers.sh BUILD_DIR SOURCE_DIR PREFIX LIBDIR MANDIR
set -euo pipefail
build=$1 src=$2 prefix=$3 libdir=$4 mandir=$5
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
case $mandir in /*) ;; *) mandir=$prefix/$mandir ;; esac
cc=${CC:-cc}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "install_consumers: $*" >&2; exit 1; }
step() { echo "== $*"; }

meson install -C "$build" --no-rebuild --destdir "$root" --quiet >/dev/null
lib=$root$libdir
have_shared=false have_static=false
[ -e "$lib/libembedsvc.so.1" ] && have_shared=true
[ -e "$lib/libembedsvc.a" ] && have_static=true
$have_shared || $have_static || fail "neither libembedsvc.so.1 nor libembedsvc.a is installed in $lib"

export PKG_CONFIG_LIBDIR=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
pkg-config --exists libembedsvc || fail "pkg-config does not find libembedsvc in $PKG_CONFIG_LIBDIR"

if $have_shared; then
  step "pkg-config, shared library"
  # shellcheck disable=SC2046
  $cc -std=c11 -Wall -Werror -o "$root/consumer-shared" "$src/tests/cmake-consumer/main.c" \
    $(pkg-config --cflags --libs libembedsvc)
  LD_LIBRARY_PATH=$lib "$root/consumer-shared"
  LD_LIBRARY_PATH=$lib ldd "$root/consumer-shared" | grep "libembedsvc.so.1 => $lib/" >/dev/null \
    || fail "the shared consumer does not load $lib/libembedsvc.so.1"
else
  echo "(no libembedsvc.so.1 installed: -Ddefault_library=static; the shared steps are skipped)"
fi

if $have_static; then
  step "pkg-config --static, static library: examples/c/evaluate.c"
  echo "pkg-config --static --cflags --libs: $(pkg-config --static --cflags --libs libembedsvc)"
  # shellcheck disable=SC2046
  $cc -std=c11 -Wall -Werror -o "$root/evaluate-static" "$src/examples/c/evaluate.c" \
    $(pkg-config --static --cflags libembedsvc) $(pkg-config --static --libs-only-L libembedsvc) \
    -Wl,-Bstatic $(pkg-config --static --libs-only-l libembedsvc) -Wl,-Bdynamic
  if ldd "$root/evaluate-static" | grep libembedsvc; then fail "the static program loads libembedsvc"; fi
  python3 "$src/examples/c/run_example.py" "$root/evaluate-static" | head -1
else
  echo "(no libembedsvc.a installed: -Ddefault_library=shared; the static steps are skipped)"
fi

step "CMake package"
cmdir=$lib/cmake/embedsvc
[ -f "$cmdir/embedsvcConfig.cmake" ] && [ -f "$cmdir/embedsvcConfigVersion.cmake" ] \
  || fail "the CMake package is not installed in $cmdir"
if ! command -v cmake >/dev/null; then
  echo "cmake not found (Debian package cmake): the CMake consumer cannot be built" >&2
  exit 77
fi
variants=(OFF)
$have_static && variants+=(ON)
for static in "${variants[@]}"; do
  b=$root/cmake-$static
  cmake -S "$src/tests/cmake-consumer" -B "$b" -DCMAKE_PREFIX_PATH="$root$prefix" \
    -DEMBEDSVC_LINK_STATIC=$static -DCMAKE_C_FLAGS="-Wall -Werror" >"$b.log" 2>&1 \
    || { cat "$b.log"; fail "cmake configure (static=$static) failed"; }
  grep 'embedsvc 0\|static library' "$b.log"
  cmake --build "$b" >>"$b.log" 2>&1 || { cat "$b.log"; fail "cmake build (static=$static) failed"; }
  "$b/embedsvc-consumer"
  if [ "$static" = ON ] || ! $have_shared; then
    if ldd "$b/embedsvc-consumer" | grep libembedsvc; then fail "embedsvc::embedsvc_static loads libembedsvc"; fi
  else
    ldd "$b/embedsvc-consumer" | grep "libembedsvc.so.1 => $lib/" >/dev/null \
      || fail "embedsvc::embedsvc does not load $lib/libembedsvc.so.1 (rpath from the imported target)"
  fi
done
if cmake -S "$src/tests/cmake-consumer" -B "$root/cmake-v1" -DCMAKE_PREFIX_PATH="$root$prefix" \
     -DEMBEDSVC_REQUIRE_VERSION=1.0 >"$root/cmake-v1.log" 2>&1; then
  fail "find_package(embedsvc 1.0) accepted version $(pkg-config --modversion libembedsvc)"
fi
grep -q "compatible with requested version \"1.0\"" "$root/cmake-v1.log" || { cat "$root/cmake-v1.log"; fail "find_package(embedsvc 1.0) failed for another reason"; }
echo "find_package(embedsvc 1.0) refused, as SameMajorVersion says"

step "man pages"
pages=("$root$mandir/man1/embedsvc.1" "$root$mandir/man3/libembedsvc.3")
for page in "${pages[@]}"; do
  [ -f "$page" ] || fail "$page not installed"
  lexgrog "$page" || fail "lexgrog finds no NAME section in $page"
  warnings=$(MANWIDTH=80 LC_ALL=C.UTF-8 MANROFFSEQ='' man --warnings -l "$page" 2>&1 >/dev/null) \
    || fail "man -l $page failed"
  [ -z "$warnings" ] || { echo "$warnings"; fail "groff warns on $page"; }
done
echo "install_consumers: all consumers built and ran"
