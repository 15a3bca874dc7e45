#!/usr/bin/env bash
# kt field add states the whole desired state, and kartoteka.lua and kt field stay one truth
# (issue 21).
. "$(dirname "$0")/lib.sh"
new_ws fields
expect 0 field add person.x text --required --label "X"
expect 0 field show person.x --json
equals "$(jq -r .required <<<"$OUT")" "true" "--required makes it required"
expect 0 field add person.x text
expect 0 field show person.x --json
equals "$(jq -r .required <<<"$OUT")" "false" "run again without --required: no longer required"
expect 0 add person first_name=A last_name=B
# A field kartoteka.lua declares is changed there, never by kt field add.
echo 'field "person.y" { type = "text" }' >>kartoteka.lua
expect 65 field add person.y text --required
contains "$ERR" "fields/kartoteka.lua:" "names the declaration"
contains "$ERR" "change it there" "says what to do"
expect 0 field show person.y --json
equals "$(jq -r .required <<<"$OUT")" "false" "the refused command changed nothing"
expect 65 field add person.first_name text --required
contains "$ERR" "is built in (schema/entities.lua:" "a built-in field is refused"
contains "$ERR" "tighten it in kartoteka.lua" "and says where to tighten it"
finish
