#!/usr/bin/env bash
# An out-of-tree plugin builds against an installed Kartoteka with nothing but pkg-config and the
# installed header, exactly as examples/plugin-hello/README.md tells a plugin author.
# Uses KT_SOURCE_DIR (the repo) and KT_TEST_TMP (or mktemp); configures its own build.
set -euo pipefail

src=${KT_SOURCE_DIR:?KT_SOURCE_DIR must point at the source tree}
if [[ -n ${KT_TEST_TMP:-} ]]; then
    mkdir -p "$KT_TEST_TMP"
    work=$(mktemp -d "$KT_TEST_TMP/plugin-install.XXXXXX")
else
    work=$(mktemp -d)
fi
trap 'rm -rf "$work"' EXIT
build=$work/build
prefix=$work/prefix

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

run() { # run LOG CMD...: quiet unless it fails
    local log=$1
    shift
    "$@" >"$log" 2>&1 || {
        tail -n 40 "$log" >&2
        fail "$* (log above)"
    }
}

# The prefix is given at configure time too: the install rules use absolute folders for the
# plugins, scripts and examples, so `--prefix` alone would not move those.
run "$work/configure.log" cmake -S "$src" -B "$build" -DKT_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_INSTALL_PREFIX="$prefix"
run "$work/build.log" cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
run "$work/install.log" cmake --install "$build" --prefix "$prefix"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
[[ -f $PKG_CONFIG_PATH/kartoteka-plugin.pc ]] || fail "no kartoteka-plugin.pc in $PKG_CONFIG_PATH"
cflags=$(pkg-config --cflags kartoteka-plugin)
incdir=$(printf '%s\n' $cflags | sed -n 's/^-I//p' | head -n 1)
[ "$(realpath "$incdir" 2>/dev/null)" == "$(realpath "$prefix/include")" ] || fail "pkg-config --cflags gives '$cflags', not -I$prefix/include"
[[ -f $prefix/include/kartoteka/plugin.h ]] || fail "kartoteka/plugin.h not installed"
plugindir=$(pkg-config --variable=plugindir kartoteka-plugin)
[[ $plugindir == "$prefix"/* ]] || fail "plugindir $plugindir is outside $prefix"
for p in phone ids_pl ids_ru ids_ir; do
    [[ -f $plugindir/$p.so ]] || fail "shipped plugin $p.so not installed in $plugindir"
done

# The README's command, word for word, on a copy of the example.
mkdir "$work/hello"
cp "$src/examples/plugin-hello/hello.c" "$work/hello/"
cd "$work/hello"
# shellcheck disable=SC2046 # pkg-config output is meant to split into words
run "$work/hello.log" cc -shared -fPIC $(pkg-config --cflags kartoteka-plugin) -o hello.so hello.c \
    -Wall -Wextra -Werror

# The contract: one exported symbol, kt_plugin, and nothing needed from the core.
exported() {
    nm -D --defined-only "$1" | awk '$2 ~ /^[A-TV-Z]$/ { print $3 }' | grep -v '^_' | sort
}
for so in "$work/hello/hello.so" "$plugindir"/*.so; do
    got=$(exported "$so" | tr '\n' ' ')
    [[ $got == "kt_plugin " ]] || fail "$so exports '$got', not just kt_plugin"
done
if readelf -d "$work/hello/hello.so" | grep -q 'NEEDED.*kartoteka'; then
    fail "hello.so links against the core"
fi

# C++ plugin authors get the same single unmangled symbol.
if command -v c++ >/dev/null; then
    # shellcheck disable=SC2046
    run "$work/hello_cxx.log" c++ -x c++ -shared -fPIC $(pkg-config --cflags kartoteka-plugin) \
        -o hello_cxx.so hello.c
    got=$(exported hello_cxx.so | tr '\n' ' ')
    [[ $got == "kt_plugin " ]] || fail "hello.c built as C++ exports '$got', not just kt_plugin"
fi

# A plugin built against the installed header for another ABI still compiles (the loader, not
# the compiler, refuses it; tests/unit/test_plugin_loader.c checks that refusal).
sed 's/^\( *\)KT_PLUGIN_ABI_VERSION,$/\199,/' hello.c >hello99.c
grep -q '^ *99,$' hello99.c || fail "could not make the ABI 99 variant"
# shellcheck disable=SC2046
run "$work/hello99.log" cc -shared -fPIC $(pkg-config --cflags kartoteka-plugin) -o hello99.so \
    hello99.c

# Until `kt plugin list` can show it, a small driver links the loader out of this build's static
# core (the loader needs nothing but libc and libdl) and loads both builds of hello the way kt
# does: the good one works, the ABI 99 one is refused by name with the reason.
mkdir -p good bad
chmod 755 good bad
cp hello.so good/hello.so
cp hello99.so bad/hello.so
chmod 644 good/hello.so bad/hello.so
cat >driver.c <<'C'
#include <stdio.h>
#include <string.h>

#include "kartoteka/ext.h"
#include "kartoteka/plugin_loader.h"

static int load(const char *dir, kt_ext *ext, kt_error *err)
{
    kt_plugins *p = kt_plugins_new(ext);
    const char *dirs[] = {dir};
    kt_status rc = kt_plugins_load(p, "hello", dirs, 1, NULL, NULL, err);
    char out[64] = "", msg[256] = "";
    const kt_plugin_type *t = kt_ext_type(ext, "hello.upper");
    if (rc == KT_OK && t && t->normalise(t->ud, "kartoteka", NULL, out, sizeof out, msg, sizeof msg) == 0)
        printf("hello.upper: %s\n", out);
    kt_plugins_free(p);
    return rc;
}

int main(int argc, char **argv)
{
    kt_error err;
    kt_ext *good = kt_ext_new(), *bad = kt_ext_new();
    int rc_good = load(argv[1], good, &err);
    int rc_bad = load(argv[2], bad, &err);
    printf("refused: %s\n", err.message);
    int ok = rc_good == KT_OK && rc_bad == KT_ABI && kt_ext_count(bad) == 0;
    kt_ext_free(good);
    kt_ext_free(bad);
    return ok ? 0 : 1;
}
C
run "$work/driver.log" cc -std=c11 -I"$src/core/include" -o driver driver.c "$build/core/libkartoteka.a" \
    -ldl
out=$(./driver "$PWD/good" "$PWD/bad") || fail "the loader driver failed: $out"
[[ $out == *"hello.upper: KARTOTEKA"* ]] || fail "hello.so did not work through the loader: $out"
[[ $out == *"bad/hello.so) was built for ABI 99, this kt speaks ABI 1"* ]] ||
    fail "the ABI 99 plugin was not refused with a clear message: $out"

echo "ok: installed to $prefix; hello.so built with pkg-config exports only kt_plugin"
