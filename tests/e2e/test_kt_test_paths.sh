#!/usr/bin/env bash
# kt test copies the workspace without a shell (issue 15, item 2): a workspace folder whose name
# is shell syntax runs nothing, and an apostrophe in the name does not break the copy.
source "$(dirname "$0")/lib.sh"

for name in "shop';id>X;'" "O'Brien's shop" 'shop $(id>Y) `id>Z`'; do
  dir="$TMP/$name"
  "$KT" init "$dir" --example pet-shop >/dev/null
  cd "$dir"
  expect 0 test
  contains "$OUT" "1 passed, 0 failed" "kt test in a folder named $name: the shop's test passes on its copy"
  lacks "$ERR" "copying" "kt test in $name: the copy worked"
  expect 0 -C "$dir" test tests/rules_test.lua
  cd "$TMP"
done
found=$(find "$TMP" \( -name X -o -name Y -o -name Z \) -print)
equals "$found" "" "no command ran from the folder's name"
finish
