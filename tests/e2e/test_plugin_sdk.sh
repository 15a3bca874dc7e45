#!/usr/bin/env bash
# The SDK: `make install` puts the kartoteka/ headers, the umbrella kartoteka.h and two
# pkg-config files in the prefix. An out-of-tree copy of examples/plugin-hello built with
# pkg-config alone adds a rule and a report that work from kt; a program embedding the core,
# built with pkg-config alone, opens the same workspace and meets the same rule.
# Uses KT_SOURCE_DIR, KT_BIN (its build is installed) and KT_TEST_TMP (or mktemp).
set -euo pipefail

src=${KT_SOURCE_DIR:?KT_SOURCE_DIR must point at the source tree}
if [[ -n ${KT_TEST_TMP:-} ]]; then
    mkdir -p "$KT_TEST_TMP"
    work=$(mktemp -d "$KT_TEST_TMP/plugin-sdk.XXXXXX")
else
    work=$(mktemp -d)
fi
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
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

run "$work/install.log" cmake --install "$build" --prefix "$prefix"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
[[ -f $prefix/include/kartoteka.h ]] || fail "the umbrella kartoteka.h is not installed"
for h in plugin ext workspace record save query report config; do
    [[ -f $prefix/include/kartoteka/$h.h ]] || fail "kartoteka/$h.h is not installed"
done
[[ ! -e $prefix/include/kartoteka/host.h ]] || fail "the Lua host's header is installed"
# Every header the umbrella includes is installed: it compiles against the prefix alone.
echo '#include <kartoteka.h>' >"$work/umbrella.c"
# shellcheck disable=SC2046 # pkg-config output is meant to split into words
run "$work/umbrella.log" cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
    $(pkg-config --cflags kartoteka) "$work/umbrella.c"

# The example, copied out of the tree, built as its README says: pkg-config and nothing else.
mkdir "$work/hello"
cp "$src/examples/plugin-hello/hello.c" "$work/hello/"
cd "$work/hello"
# shellcheck disable=SC2046
run "$work/hello.log" cc -shared -fPIC $(pkg-config --cflags kartoteka-plugin) -o hello.so hello.c \
    -Wall -Wextra -Werror

kt=$prefix/bin/kt
unset KT_PLUGIN_PATH KT_WORKSPACE
export KT_CEILING_DIRECTORIES=$work
run "$work/init.log" "$kt" init "$work/ws"
cp hello.so "$work/ws/plugins/hello.so"
chmod 644 "$work/ws/plugins/hello.so"
chmod 700 "$work/ws/plugins"
echo 'plugin "hello"' >>"$work/ws/kartoteka.lua"
cd "$work/ws"

# The C rule: a refusal naming the rule, nothing saved; other records pass.
rc=0
"$kt" add person first_name=Ola last_name=spam >"$work/out" 2>"$work/err" || rc=$?
[[ $rc == 65 ]] || fail "kt add refused by the plugin's rule exited $rc, not 65: $(cat "$work/err")"
grep -q 'hello.no_spam' "$work/err" || fail "the refusal does not name the rule: $(cat "$work/err")"
grep -q 'last_name is "spam"' "$work/err" || fail "the refusal does not say why: $(cat "$work/err")"
[[ $("$kt" list person --json | jq length) == 0 ]] || fail "the refused record was saved"
"$kt" add person first_name=Ola last_name=Nowak >/dev/null || fail "a good record was refused"
"$kt" add person first_name=Jan >/dev/null || fail "a good record was refused"

# The C report: in the list, run by name, in every format, parameters checked.
"$kt" report list | grep -q '^hello_fill .*How many records fill each field.*\[--entity\]' ||
    fail "kt report list does not show hello_fill: $("$kt" report list)"
[[ $("$kt" report list --json | jq -r '.[]|select(.name=="hello_fill")|.source') == plugin ]] ||
    fail "kt report list --json does not say hello_fill is a plugin's"
json=$("$kt" report hello_fill --format json) || fail "kt report hello_fill failed"
[[ $(printf '%s' "$json" | jq -r '.[]|select(.field=="first_name")|"\(.filled)/\(.of)"') == 2/2 ]] ||
    fail "hello_fill counted first_name wrong: $json"
[[ $(printf '%s' "$json" | jq -r '.[]|select(.field=="last_name")|"\(.filled)/\(.of)"') == 1/2 ]] ||
    fail "hello_fill counted last_name wrong: $json"
"$kt" report hello_fill | grep -q '^last_name  *1  *2$' || fail "the table shows: $("$kt" report hello_fill)"
rc=0
"$kt" report hello_fill --colour red >/dev/null 2>"$work/err" || rc=$?
[[ $rc == 64 ]] || fail "an unknown parameter exited $rc, not 64"
grep -q 'no parameter --colour (it takes: --entity)' "$work/err" || fail "$(cat "$work/err")"
rc=0
"$kt" report hello_fill --entity nobody >/dev/null 2>"$work/err" || rc=$?
[[ $rc == 66 ]] || fail "an unknown entity exited $rc, not 66: $(cat "$work/err")"
# A report file of the same name in the workspace wins, as it does over a shipped one.
mkdir -p reports
cat >reports/hello_fill.lua <<'LUA'
return { title = "mine", run = function(p) return { { who = "the workspace" } } end }
LUA
[[ $("$kt" report hello_fill --format csv | tr -d "\r" | tail -n 1) == "the workspace" ]] ||
    fail "the workspace's report file did not win over the plugin's report"
rm reports/hello_fill.lua

# A program embedding the core: the umbrella header, pkg-config, the same workspace and rule.
cat >"$work/embed.c" <<'C'
#include <stdio.h>
#include <string.h>

#include <kartoteka.h>

int main(int argc, char **argv)
{
    kt_ws *ws = NULL;
    kt_error err;
    kt_failures fails;
    kt_failures_init(&fails);
    kt_config_opts opts = {0};
    if (argc != 2 || kt_ws_open(argv[1], &ws, &err) || kt_config_apply(ws, &opts, &err)) {
        fprintf(stderr, "open: %s\n", ws ? err.message : "usage");
        kt_ws_close(ws);
        return 1;
    }
    kt_record *rec = kt_record_new("person");
    kt_status st = kt_record_set(rec, "first_name", "Spam", &err);
    kt_save_opts so = {0};
    if (!st) st = kt_save(ws, rec, &so, &fails, &err);
    int refused = st == KT_INVALID && fails.n == 1 && strcmp(fails.items[0].rule, "hello.no_spam") == 0;
    printf("%s\n", refused ? "refused by hello.no_spam" : "not refused");
    kt_failures_free(&fails);
    kt_record_free(rec);
    kt_ws_close(ws);
    return refused ? 0 : 1;
}
C
san=()
if grep -q '^KT_ASAN:BOOL=ON' "$build/CMakeCache.txt"; then san+=(-fsanitize=address); fi
if grep -q '^KT_UBSAN:BOOL=ON' "$build/CMakeCache.txt"; then san+=(-fsanitize=undefined); fi
# shellcheck disable=SC2046
run "$work/embed.log" cc -std=c11 -Wall -Wextra -Werror "${san[@]}" $(pkg-config --cflags kartoteka) \
    -o "$work/embed" "$work/embed.c" $(pkg-config --libs kartoteka)
[[ $("$work/embed" "$work/ws") == "refused by hello.no_spam" ]] ||
    fail "the embedding program did not meet the plugin's rule: $("$work/embed" "$work/ws" 2>&1)"

echo "ok: the installed SDK builds hello.so (rule + report, both work from kt) and an embedding program"
