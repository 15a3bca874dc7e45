#!/usr/bin/env bash
# The README's Lua examples are tested (issue 21): every ```lua block that declares fields,
# rules, settings, dedupe rules, campaigns or plugins becomes one workspace's kartoteka.lua, and
# the commands the README shows around them run against it. A README example that no longer
# loads, or a rule that crashes on a value a user types, fails here.
. "$(dirname "$0")/lib.sh"
new_ws readme

# A block counts as a declaration when a line starts with one of the DSL's top-level forms.
awk '/^```lua/ { on = 1; buf = ""; next }
     /^```/    { if (on && buf ~ /(^|\n)(field|rule|settings|dedupe|campaign|plugin)[ {]/) printf "%s", buf; on = 0; next }
     on        { buf = buf $0 "\n" }' "$SRC/README.md" >kartoteka.lua
for form in 'field "person.pets"' 'rule "person.mobile_ir"' 'dedupe "person"' 'campaign "birthday"' \
    'plugin "ids_pl"' 'settings {'; do
  contains "$(cat kartoteka.lua)" "$form" "README block with $form extracted"
done
# The README's workspace is Polish, as `kt init` writes it (phone numbers without +CC).
echo 'settings { country = "PL" }' >>kartoteka.lua

expect 0 field list person
contains "$OUT" "expected_gifts" "README fields declared"
expect 0 campaign list
contains "$OUT" "birthday" "README campaign declared"

# --- the rules: the Iranian mobile rule on a number of the wrong length must not crash
expect 65 add person first_name=A last_name=B country=IR mobile="0912 123 456" expected_gifts=x pets=dog
contains "$ERR" "has 6, 7 or 10 digits after +98, got 9" "the phone type names the real problem"
lacks "$ERR" "attempt to index" "a rule never crashes on a value that failed its type"
lacks "$ERR" "person.mobile_ir" "the rule is silent about a value that already failed"
expect 0 add person first_name=Reza last_name=Ahmadi country=IR mobile="0812 123 4567" expected_gifts=tea pets=none
contains "$ERR" "warning: mobile: an Iranian client's mobile is not a mobile number (09xx xxx xxxx) [person.mobile_ir]" \
  "the warning rule warns and saves"
REZA=$OUT

# --- a rule sees a field that failed its type as absent (item 13)
expect 65 add person first_name=Jan last_name=Nowak birth_date=31.02.1990 email=jan@example.com expected_gifts=x pets=dog
contains "$ERR" "not a real calendar date" "the date failure is reported"
lacks "$ERR" "person.birth_date_past" "the date rule says nothing about a date that failed"
equals "$(grep -c '^error:' <<<"$ERR")" "1" "one problem, not two"
expect 65 add person first_name=Jan last_name=Nowak birth_date=2999-01-01 email=jan@example.com expected_gifts=x pets=dog
contains "$ERR" "person.birth_date_past" "the date rule still judges a valid date"

# --- the plugin block: a field of the plugin's type
expect 65 add company name=Acme nip=123
contains "$ERR" "a NIP has 10 digits" "README plugin field checks its type"

# --- the kt run example (saves Ewa through the write door)
awk '/^```lua/ { on = 1; buf = ""; next }
     /^```/    { if (on && buf ~ /kt\.args\[1\]/) printf "%s", buf; on = 0; next }
     on        { buf = buf $0 "\n" }' "$SRC/README.md" >example.lua
expect 0 run example.lua "$REZA"
contains "$OUT" "lukasz" "the kt run example prints kt.text.fold"
expect 0 list --show-pii person --where "first_name=Ewa"
contains "$OUT" "Nowak" "the kt run example saved through the write door"

# --- the report example
mkdir -p reports
awk '/^```lua/ { on = 1; buf = ""; next }
     /^```/    { if (on && buf ~ /title = "Clients per city"/) printf "%s", buf; on = 0; next }
     on        { buf = buf $0 "\n" }' "$SRC/README.md" >reports/cities.lua
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com city=Kraków country=PL expected_gifts=x pets=cat
expect 0 report cities
contains "$OUT" "Kraków" "the README report runs"

# --- the pet-shop example ships the same rule
new_ws shop --example pet-shop
expect 65 add person first_name=A last_name=B country=IR mobile="0912 123 456" expected_gifts=x pets=dog
lacks "$ERR" "attempt to index" "the pet-shop rule does not crash"
finish
