#!/usr/bin/env bash
# A campaign's declared purpose (issue 23): no channel speaks for phone or profiling, so a
# campaign says what it serves — `purpose = "phone"` for a call list, `purpose = "profiling"` for
# scoring — and the purpose's consent is checked in C for every person it acts on and every
# message's addressee. Withdrawing one purpose stops only the campaign that declares it.
source "$(dirname "$0")/lib.sh"

new_ws shop
cat >>kartoteka.lua <<'LUA'
settings { consent_purposes = "loyalty" }
campaign "calls" {
  entity = "person", purpose = "phone",
  action = function(r, day) kt.task { title = "Call " .. r.first_name, person = r.id, due = day } end,
}
campaign "scoring" {
  entity = "person", purpose = "profiling", marketing = false,
  action = function(r, day) kt.task { title = "Score " .. r.first_name, person = r.id, due = day } end,
}
campaign "club" {
  entity = "person", purpose = "loyalty",
  action = function(r, day) kt.send { channel = "email", to = r.email, text = "Hello" } end,
}
LUA
ADA=$("$KT" add person first_name=Ada last_name=Nowak email=ada@example.com)
BEN=$("$KT" add person first_name=Ben last_name=Kot email=ben@example.com)
for p in phone profiling loyalty email; do expect 0 consent give "$ADA" $p; done
for p in phone profiling loyalty email; do expect 0 consent give "$BEN" $p; done

names() { # names CAMPAIGN: the records a dry run acts on
  run campaign run "$1" --dry-run --json
  jqget "$OUT" '[.[] | select(.error == null) | .record] | sort | join(" ")'
}
equals "$(names calls)" "$ADA $BEN" "calls: both gave phone"
equals "$(names scoring)" "$ADA $BEN" "scoring: both gave profiling"
equals "$(names club)" "$ADA $BEN" "club: both gave loyalty"

expect 0 consent withdraw "$BEN" profiling --source call
equals "$(names scoring)" "$ADA" "a withdrawn profiling consent stops the scoring campaign"
equals "$(names calls)" "$ADA $BEN" "and not the calls"
equals "$(names club)" "$ADA $BEN" "nor the club"

expect 0 consent withdraw "$ADA" phone --source call
equals "$(names calls)" "$BEN" "a withdrawn phone consent stops the calls"
equals "$(names scoring)" "$ADA" "and not the scoring"

expect 0 consent withdraw "$ADA" loyalty --source form
equals "$(names club)" "$BEN" "a withdrawn declared purpose stops its campaign"
expect 0 campaign run club --json
equals "$(jqget "$OUT" '[.[] | .messages[].to] | join(" ")')" "ben@example.com" \
  "only Ben's message goes"

# a message to another address is checked against the purpose too (its addressee refused)
cat >>kartoteka.lua <<LUA
campaign "club_forward" {
  entity = "person", purpose = "loyalty", filter = { first_name = "Ben" },
  action = function(r, day) kt.send { channel = "email", to = "ada@example.com", text = "Hi" } end,
}
LUA
expect 0 campaign run club_forward --dry-run --json
equals "$(jqget "$OUT" '[.[] | .skipped_consent[]? | .to] | join(" ")')" "ada@example.com" \
  "a message to a person who withdrew the purpose is refused"

# an unknown purpose is named
cat >>kartoteka.lua <<'LUA'
campaign "bad" { entity = "person", purpose = "astrology", action = function(r, day) end }
LUA
expect 65 campaign run bad --dry-run
contains "$ERR" 'purpose "astrology" is not a consent purpose' "an unknown purpose is refused"
finish
