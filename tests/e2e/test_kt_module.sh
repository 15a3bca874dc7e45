#!/usr/bin/env bash
# The kt module's names are a contract with every script out there: none may disappear, and
# each is documented in the type annotations shipped for editors.
. "$(dirname "$0")/lib.sh"
new_ws shop --example pet-shop
names="$SRC/tests/e2e/kt_module_names.txt"
{
  echo 'local missing = {}'
  grep -v '^#' "$names" | while read -r n; do
    [ -n "$n" ] && echo "if kt.$n == nil then missing[#missing + 1] = '$n' end"
  done
  echo 'print(#missing == 0 and "all present" or ("missing: " .. table.concat(missing, ", ")))'
} > names.lua
expect 0 run names.lua
equals "$OUT" "all present" "every kt name in the snapshot exists"
grep -v '^#' "$names" | while read -r n; do
  [ -n "$n" ] || continue
  grep -qE "^(function kt\.$n\(|kt\.$n = |---@field ${n##*.} )" "$SRC/scripts/types/kt.lua" \
    || { echo "FAIL: kt.$n is not documented in scripts/types/kt.lua" >&2; exit 1; }
done && pass || fail "every name documented"
[ -f .luarc.json ] && pass || fail "kt init writes .luarc.json for editors"
finish
