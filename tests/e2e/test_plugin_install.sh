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
prefix=$work/prefix
# The build this test suite runs from (KT_BIN is <build>/core/kt): installed as it is, so the
# test checks exactly what was built and does not build the project a second time.
build=$(cd "$(dirname "${KT_BIN:?KT_BIN must point at the kt command}")/.." && pwd)

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

# `--prefix` at install time alone moves everything: kt, plugins, scripts, header, .pc file.
run "$work/install.log" cmake --install "$build" --prefix "$prefix"
[[ -x $prefix/bin/kt ]] || fail "kt not installed in $prefix/bin"
[[ -f $prefix/share/man/man1/kt.1 ]] || fail "the man page kt.1 is not installed"
[[ -f $prefix/share/bash-completion/completions/kt ]] || fail "the bash completion is not installed"
[[ -f $prefix/share/zsh/site-functions/_kt ]] || fail "the zsh completion is not installed"

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

# The installed kt with the plugin: kt plugin list shows it, a field uses its type.
kt=$prefix/bin/kt
unset KT_PLUGIN_PATH KT_WORKSPACE
export KT_CEILING_DIRECTORIES=$work
run "$work/init.log" "$kt" init "$work/ws"
cp hello.so "$work/ws/plugins/hello.so"
chmod 644 "$work/ws/plugins/hello.so"
chmod 700 "$work/ws/plugins"
cat >>"$work/ws/kartoteka.lua" <<'LUA'
plugin "hello"
field "person.nickname" { type = "hello.upper" }
LUA
cd "$work/ws"
list=$("$kt" plugin list --json) || fail "kt plugin list failed"
[[ $(printf '%s' "$list" | jq -r '.[]|select(.name=="hello")|.registered[0].name') == hello.upper ]] ||
    fail "kt plugin list --json does not show hello and its type: $list"
[[ $(printf '%s' "$list" | jq -r '.[]|select(.name=="phone")|.version') != "" ]] ||
    fail "the installed phone plugin is not loaded from the install folder: $list"
id=$("$kt" add person first_name=Ola nickname=olka) || fail "kt add with the plugin's type failed"
[[ $("$kt" get "$id" --json | jq -r .nickname) == OLKA ]] || fail "the plugin's type did not normalise"

# A plugin built for another ABI is refused with a clear message; kartoteka.lua names it, so
# the configuration is an error (exit 65), not a warning a script would never see.
cp "$work/hello/hello99.so" plugins/hello.so
chmod 644 plugins/hello.so
rc=0
"$kt" get "$id" --json >/dev/null 2>"$work/err" || rc=$?
[[ $rc == 65 ]] || fail "kt with a refused plugin named in kartoteka.lua exited $rc, not 65"
grep -q "was built for ABI 99, this kt speaks ABI 2" "$work/err" ||
    fail "the ABI 99 plugin was not refused with a clear message: $(cat "$work/err")"
grep -q "hello.so" "$work/err" || fail "the refusal does not name the file"
# ... and a plugin file others can write to is refused before it is loaded
cp "$work/hello/hello.so" plugins/hello.so
chmod 666 plugins/hello.so
rc=0
"$kt" get "$id" >/dev/null 2>"$work/err" || rc=$?
[[ $rc == 65 ]] || fail "kt with a world-writable plugin exited $rc, not 65"
grep -qi "writ" "$work/err" || fail "a world-writable plugin was not refused: $(cat "$work/err")"

echo "ok: installed to $prefix; hello.so built with pkg-config exports only kt_plugin and works in kt"
