#!/usr/bin/env bash
# `dedupe "entity" {...}` declarations: each mistake is a configuration error (exit 65) naming
# its place in kartoteka.lua, a later declaration of the same entity replaces an earlier one,
# and a compare entry that is not a table is a mistake like any other (it used to abort kt with
# an unprotected Lua error).
source "$(dirname "$0")/lib.sh"

n=0
check_decl() { # check_decl DECLARATION WANT-IN-STDERR
  n=$((n + 1))
  new_ws "d$n"
  printf '%s\n' "$1" >>kartoteka.lua
  expect 65 list person
  contains "$ERR" "$2" "kt with: $1"
}

email='{ field = "email", method = "email" }'
check_decl "dedupe \"person\" { threshold = 0, compare = { $email } }" \
  'dedupe "person": threshold must be in (0, 1]'
check_decl "dedupe \"person\" { threshold = \"high\", compare = { $email } }" \
  'dedupe "person": threshold must be in (0, 1]'
check_decl "dedupe \"person\" { entry_threshold = 2, compare = { $email } }" \
  'dedupe "person": entry_threshold must be in (0, 1]'
check_decl 'dedupe "person" { }' 'dedupe "person" needs compare = {'
check_decl 'dedupe "person" { compare = { { field = "nope", method = "email" } } }' \
  'dedupe "person": compare[1] names no field of person'
check_decl 'dedupe "person" { compare = { { field = "email", method = "smell" } } }' \
  'dedupe "person": compare[1] (email): method must be exact, email, phone, name, company, date or text'
check_decl 'dedupe "person" { compare = { { field = "email", method = "email", weight = 0 } } }' \
  'compare[1] (email): weight must be a positive number'
check_decl 'dedupe "person" { compare = { 5 } }' 'dedupe "person": compare[1] names no field'
# the message points at the declaration that counts: the later one
check_decl "dedupe \"person\" { compare = { $email } }
dedupe \"person\" { compare = { { field = \"nope\", method = \"email\" } } }" \
  'kartoteka.lua:41: dedupe "person": compare[1] names no field'

# ... and a good later declaration replaces a bad earlier one; records are compared by it
new_ws good
printf '%s\n' 'dedupe "person" { compare = { { field = "nope", method = "email" } } }' \
  "dedupe \"person\" { threshold = 0.9, compare = { $email } }" >>kartoteka.lua
expect 0 add person first_name=Ola email=ola@example.com
expect 0 add person first_name=Ala email=ola@example.com --allow-duplicate
expect 0 dupes person
contains "$OUT$ERR" "threshold 0.9" "the later declaration's threshold"
finish
