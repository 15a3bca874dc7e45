#!/usr/bin/env bash
# The command line's one table (issue 21): kt help, kt help COMMAND, kt COMMAND --help, the man
# page and the bash and zsh completion all list every command main dispatches to; an unknown
# command or option is refused with a suggestion; --json where data is printed.
. "$(dirname "$0")/lib.sh"

# Every command function main can dispatch to (declared in cli.h) is in the table.
CMDS=$(sed -n 's/^int cmd_\([a-z_]*\)(kt_cli \*cli.*/\1/p' "$SRC/core/cli/cli.h")
[ -n "$CMDS" ] || fail "no cmd_ functions found in cli.h"
expect 0 help
HELP=$OUT
expect 0 __generate bash "$TMP/kt.bash"
expect 0 __generate zsh "$TMP/_kt"
expect 0 __generate man "$TMP/kt.1"
for f in $CMDS; do
  case $f in complete | generate) continue ;; esac # hidden: for the scripts and the build
  grep -q "cmd_$f," "$SRC/core/cli/cli_commands.c" || fail "cmd_$f is not in the command table"
  name=${f//_/-} # cmd_access_log is kt access-log
  contains "$HELP" "  $name " "kt help lists $name"
  contains "$(cat "$TMP/kt.bash")" " $name" "bash completion lists $name"
  contains "$(cat "$TMP/_kt")" "'$name:" "zsh completion lists $name"
  contains "$(cat "$TMP/kt.1")" ".SS $name" "the man page has $name"
  expect 0 "$name" --help
  contains "$OUT" "usage:" "kt $name --help"
  expect 0 help "$name"
  contains "$OUT" "kt $name" "kt help $name"
done
bash -n "$TMP/kt.bash" || fail "the bash completion is not valid bash"
# The bash function itself, as bash calls it (kt on PATH).
mkdir -p "$TMP/bin" && ln -sf "$KT" "$TMP/bin/kt"
got=$(PATH="$TMP/bin:$PATH" bash -c '. "$1"; COMP_WORDS=(kt li); COMP_CWORD=1; _kt; echo "${COMPREPLY[*]}";
  COMP_WORDS=(kt list --wh); COMP_CWORD=2; _kt; echo "${COMPREPLY[*]}"' _ "$TMP/kt.bash")
equals "$got" "list
--where" "bash completes commands and options"
if command -v zsh >/dev/null; then zsh -n "$TMP/_kt" || fail "the zsh completion is not valid zsh"; fi
# The man page renders with man -l, without groff warnings.
if command -v man >/dev/null; then
  page=$(MANWIDTH=80 man -l "$TMP/kt.1" 2>&1)
  contains "$page" "kt - Kartoteka" "man -l renders the page"
  contains "$page" "--where FILTER" "man page options"
fi
if command -v groff >/dev/null; then
  equals "$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$TMP/kt.1" 2>&1)" "" "groff warnings"
fi

expect 0 help list
contains "$OUT" "examples:" "kt help list has examples"
expect 0 help filter
contains "$OUT" "is not null" "kt help filter"
contains "$OUT" "today-7" "kt help filter shows relative dates"

# --- refusals with a suggestion
expect 64 lst person
contains "$ERR" "did you mean list?" "unknown command"
new_ws help --example pet-shop
expect 64 list person --were "city=X"
contains "$ERR" "unknown option --were for kt list (did you mean --where?)" "unknown option"
expect 64 add person first_name=A --allow-duplicates
contains "$ERR" "did you mean --allow-duplicate?" "unknown flag"
expect 64 archive 1 --json
contains "$ERR" "unknown option --json" "--json only where data is printed"
expect 64 help lisst
contains "$ERR" "did you mean list?" "kt help of an unknown command"
# A script's own arguments are its own.
echo 'print(kt.args[1], kt.args[2])' >args.lua
expect 0 run args.lua --verbose -x
contains "$OUT" "--verbose	-x" "kt run passes options to the script"

# --- --json everywhere data is printed
expect 0 report abc --json
equals "$(jq -r type <<<"$OUT")" "array" "kt report abc --json prints JSON"
expect 64 report abc --json --format csv
expect 0 add person first_name=Ola last_name=Lis email=o@example.pl expected_gifts=x pets=cat
expect 0 export --show-pii person --json
equals "$(jq -r '.[0].last_name' <<<"$OUT")" "Lis" "kt export --json"

# --- completion of the workspace's names
expect 0 __complete 1 list pe
contains "$OUT" "person" "entity names"
expect 0 __complete 3 list person --where exp
contains "$OUT" "expected_gifts" "field names after --where"
expect 0 __complete 2 add person first
equals "$OUT" "first_name=" "field= after kt add ENTITY"
expect 0 __complete 1 report ab
contains "$OUT" "abc" "report names"
expect 0 __complete 2 campaign run bi
equals "$OUT" "birthday" "campaign names"
expect 0 __complete 1 list --w
equals "$OUT" "--where" "options"
expect 0 __complete 0 he
equals "$OUT" "help" "commands"
finish
