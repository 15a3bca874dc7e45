#!/usr/bin/env bash
# The SDK: `make install` puts the kartoteka/ headers, the umbrella kartoteka.h and two
# pkg-config files in the prefix. An out-of-tree copy of examples/plugin-hello built with
# pkg-config alone adds a rule and a report that work from kt; a program embedding the core,
# built with pkg-config alone, opens the same workspace and meets the same rule.
. "$(dirname "$0")/lib.sh"

# The build this suite runs from (KT_BIN is <build>/core/kt), installed as it is.
build=$(cd "$(dirname "$KT")/.." && pwd)
prefix=$TMP/prefix
step() { # step LOG CMD...: a build step, quiet unless it fails (then the test stops)
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { tail -n 40 "$log" >&2; echo "FAIL: $*" >&2; exit 1; }
}

step "$TMP/install.log" cmake --install "$build" --prefix "$prefix"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
[ -f "$prefix/include/kartoteka.h" ] && pass || fail "the umbrella kartoteka.h is not installed"
for h in plugin ext workspace record save query report config; do
  [ -f "$prefix/include/kartoteka/$h.h" ] && pass || fail "kartoteka/$h.h is not installed"
done
[ ! -e "$prefix/include/kartoteka/host.h" ] && pass || fail "the Lua host's header is installed"
# Every header the umbrella includes is installed: it compiles against the prefix alone.
echo '#include <kartoteka.h>' >"$TMP/umbrella.c"
# shellcheck disable=SC2046 # pkg-config output is meant to split into words
step "$TMP/umbrella.log" cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
  $(pkg-config --cflags kartoteka) "$TMP/umbrella.c"

# The example, copied out of the tree, built as its README says: pkg-config and nothing else.
mkdir "$TMP/hello"
cp "$SRC/examples/plugin-hello/hello.c" "$TMP/hello/"
# shellcheck disable=SC2046
step "$TMP/hello.log" cc -shared -fPIC $(pkg-config --cflags kartoteka-plugin) \
  -o "$TMP/hello/hello.so" "$TMP/hello/hello.c" -Wall -Wextra -Werror

KT=$prefix/bin/kt # the installed kt from here on
unset KT_PLUGIN_PATH
new_ws ws
cp "$TMP/hello/hello.so" plugins/hello.so
chmod 644 plugins/hello.so
chmod 700 plugins
echo 'plugin "hello"' >>kartoteka.lua

# The C rule: a refusal naming the rule, nothing saved; other records pass.
expect 65 add person first_name=Ola last_name=spam
contains "$ERR" 'hello.no_spam' "the refusal names the rule"
contains "$ERR" 'last_name is "spam"' "the refusal says why"
equals "$("$KT" list person --json | jq length)" 0 "records after the refusal"
expect 0 add person first_name=Ola last_name=Nowak
expect 0 add person first_name=Jan

# The C report: in the list, run by name, in every format, parameters checked.
expect 0 report list
contains "$OUT" 'hello_fill     How many records fill each field  [--entity]' "kt report list"
expect 0 report list --json
equals "$(jqget "$OUT" '.[]|select(.name=="hello_fill")|.source')" plugin "the report's source"
expect 0 report hello_fill --format json
equals "$(jqget "$OUT" '.[]|select(.field=="first_name")|"\(.filled)/\(.of)"')" 2/2 "first_name"
equals "$(jqget "$OUT" '.[]|select(.field=="last_name")|"\(.filled)/\(.of)"')" 1/2 "last_name"
expect 0 report hello_fill
contains "$OUT" 'last_name           1   2' "the table"
expect 64 report hello_fill --colour red
contains "$ERR" 'no parameter --colour (it takes: --entity)' "an unknown parameter"
expect 66 report hello_fill --entity nobody
contains "$ERR" "there is no entity 'nobody'" "an unknown entity"
# A report file of the same name in the workspace wins, as it does over a shipped one.
mkdir -p reports
echo 'return { title = "mine", run = function(p) return { { who = "the workspace" } } end }' \
  >reports/hello_fill.lua
expect 0 report hello_fill --format csv
contains "$OUT" 'the workspace' "the workspace's report file over the plugin's report"
rm reports/hello_fill.lua

# The C import map: --map names it; its records are matched, checked (the plugin's rule too) and
# saved as a mapping script's are, in one undoable batch.
expect 0 plugin list
contains "$OUT" 'import map hello_people' "kt plugin list shows the import map"
cat >"$TMP/people.csv" <<'CSV'
name,email
Ewa Lis,ewa@example.com
,nobody@example.com
Tom spam,tom@example.com
Iga Wrona,iga@example.com
CSV
expect 0 import "$TMP/people.csv" --map hello_people --rejects "$TMP/rejects.csv" --json
equals "$(jqget "$OUT" '"\(.created) \(.skipped) \(.rejected)"')" "2 1 1" "created, skipped, rejected"
contains "$(cat "$TMP/rejects.csv")" 'last_name is ""spam"": no spam here' "the rejected row says the plugin's rule's reason"
expect 0 get "$(jqget "$("$KT" list person --json --show-pii)" '.[]|select(.email=="ewa@example.com")|.id')" --json
equals "$(jqget "$OUT" '"\(.first_name) \(.last_name)"')" "Ewa Lis" "the map's record"
# a re-import finds the records by e-mail (the map's match): nothing new
expect 0 import "$TMP/people.csv" --map hello_people --json
equals "$(jqget "$OUT" .created)" 0 "nothing created again"
expect 66 import "$TMP/people.csv" --map nobody
contains "$ERR" 'no import map is named nobody' "an unknown map"
expect 64 import "$TMP/people.csv" --map hello_people --script x.lua

# A program embedding the core: the umbrella header, pkg-config, the same workspace and rule.
cat >"$TMP/embed.c" <<'C'
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
step "$TMP/embed.log" cc -std=c11 -Wall -Wextra -Werror "${san[@]}" $(pkg-config --cflags kartoteka) \
  -o "$TMP/embed" "$TMP/embed.c" $(pkg-config --libs kartoteka)
equals "$("$TMP/embed" "$PWD" 2>&1)" "refused by hello.no_spam" "a program embedding the core"

finish
