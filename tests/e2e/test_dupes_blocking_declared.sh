#!/usr/bin/env bash
# Declared blocking (issue 20): `blocking = { {"last_name:soundex", "birth_date:year"},
# {"first_name", "postal_code"}, {"email"} }` in a dedupe rule, each entry a rule, OR-ed; only
# records sharing a key of one rule are compared; --stats names each rule with its blocks and
# pairs; wrong declarations are refused with the place; without it the automatic keys stay.
source "$(dirname "$0")/lib.sh"

rule() { # rule BLOCKING: kartoteka.lua's person rule with that blocking line (or none)
  cat >>kartoteka.lua <<LUA
dedupe "person" {
  compare = {
    { field = "email",       method = "email", weight = 4 },
    { field = "last_name",   method = "name",  weight = 3 },
    { field = "first_name",  method = "name",  weight = 2 },
    { field = "birth_date",  method = "date",  weight = 3 },
    { field = "postal_code", method = "exact", weight = 1 },
  },
  $1
}
LUA
}

new_ws declared
cp kartoteka.lua kartoteka.lua.orig
rule 'blocking = { {"last_name:soundex", "birth_date:year"}, {"first_name", "postal_code"}, {"email"} },'
expect 0 add person first_name=Anna last_name=Kowalska birth_date=1980-01-02 email=a@x.pl postal_code=00-001
A=$OUT
expect 0 add person first_name=Anna last_name=Kovalska birth_date=1980-05-05 email=b@x.pl
SOUND=$OUT
expect 0 add person first_name=Anna last_name=Zielinska postal_code=00-001 email=c@x.pl
POST=$OUT
expect 0 add person first_name=Bob last_name=Nowak email=a@x.pl
MAIL=$OUT
expect 0 add person first_name=Anna last_name=Kowalska birth_date=1981-01-02 email=d@x.pl
OTHER=$OUT
expect 0 dupes person --compared
equals "$OUT" "$(printf '%s\t%s\n%s\t%s\n%s\t%s' "$A" "$SOUND" "$A" "$POST" "$A" "$MAIL")" \
  "each rule pairs its own records, OR-ed; another birth year meets none of them"
expect 0 dupes person --stats
contains "$OUT" "blocking rule 1  last_name:soundex + birth_date:year: 1 blocks (the largest 2 records), 1 pairs found" \
  "--stats names each rule with its blocks and pairs"
contains "$OUT" "blocking rule 3  email: 1 blocks" "the third rule"
expect 0 dupes person --stats --json
equals "$(jqget "$OUT" '[.rules[] | .rule] | join(",")')" \
  "last_name:soundex + birth_date:year,first_name + postal_code,email" "the rules in JSON"
equals "$(jqget "$OUT" '.rules[1].pairs_found')" "1" "with their pairs"
# the on-entry check looks candidates up by the same keys
expect 65 add person first_name=Anna last_name=Kowalska birth_date=1980-01-02 email=a@x.pl
contains "$ERR" "record $A" "an exact copy is still refused on entry"

# --- wrong declarations, with the place ---
for bad in 'blocking = { {"nickname"} },' 'blocking = { {"email:soundex"} },' \
  'blocking = { {"last_name:year"} },' 'blocking = { {"last_name:sound"} },' \
  'blocking = { {} },' 'blocking = "email",' 'blocking = { {"email", 7} },'; do
  cp kartoteka.lua.orig kartoteka.lua
  rule "$bad"
  expect 65 dupes person
  contains "$ERR" "kartoteka.lua:" "refused with the place: $bad"
  contains "$ERR" "blocking" "naming blocking: $bad"
done

# --- without blocking, the automatic keys as before: no rules in --stats ---
cp kartoteka.lua.orig kartoteka.lua
rule ""
expect 0 dupes person --stats --json
equals "$(jqget "$OUT" '.rules')" "null" "no declared rules, none reported"
expect 0 dupes person --compared
contains "$OUT" "$(printf '%s\t%s' "$A" "$OTHER")" "the automatic keys pair the two Anna Kowalskas"

finish
