#!/usr/bin/env bash
# kt field remove, rename and restore (issue 21, item 7): a removed field is hidden from lists,
# forms and exports while its values stay in the table and history; a rename carries values,
# history and the declaration; kartoteka.lua and kt field stay one truth.
. "$(dirname "$0")/lib.sh"
new_ws life
expect 0 field add person.fax text
expect 0 field add person.shoe text --required
expect 0 add person first_name=Ala last_name=Kot fax=123 shoe=42
ID=$OUT
expect 0 set "$ID" fax=456

# remove: a dry run counts and changes nothing
expect 0 field remove person.fax --dry-run
contains "$OUT" "would remove person.fax: 1 record holds a value" "the dry run counts values"
expect 0 field show person.fax
expect 0 field remove person.fax
contains "$OUT" "1 value kept" "says the values are kept"
expect 66 field show person.fax
contains "$ERR" "was removed on" "a removed field says so"
contains "$ERR" "kt field restore person.fax" "and how to bring it back"
expect 0 get "$ID" --json
equals "$(jqget "$OUT" 'has("fax")')" "false" "kt get no longer shows it"
expect 0 list person --columns first_name,shoe
lacks "$OUT" "fax" "lists do not show it"
expect 0 export person --format csv
lacks "$OUT" "fax" "exports do not show it"
expect 0 history "$ID"
contains "$OUT" "456" "history keeps its values"
expect 0 field list person
contains "$OUT" "person.fax (text), removed" "kt field list shows it as removed"
expect 0 add person first_name=Ola last_name=Lis shoe=40 --allow-duplicate
expect 65 add person first_name=Ola last_name=Lis shoe=40 fax=1 --allow-duplicate
expect 65 field add person.fax text
contains "$ERR" "was removed on" "kt field add does not make a second fax over the kept values"
# restore: the values come back
expect 0 field restore person.fax
expect 0 get "$ID" --json
equals "$(jqget "$OUT" .fax)" "456" "restored with the value it kept"
expect 65 field restore person.fax
contains "$ERR" "is not removed" "restoring twice"

# what a rule or a duplicate rule names cannot be removed
cat >>kartoteka.lua <<'LUA'
rule "person.shoe_size" { fields = { "shoe" }, check = function(r) return true end }
dedupe "person" { compare = { { field = "fax", method = "exact" }, { field = "last_name", method = "name" } } }
LUA
expect 65 field remove person.shoe
contains "$ERR" "person.shoe is used by rule \"person.shoe_size\"" "a rule's field is refused"
expect 65 field remove person.fax
contains "$ERR" "dedupe \"person\"" "a duplicate rule's field is refused"
contains "$ERR" "change it in kartoteka.lua first" "and says what to do"
expect 65 field remove person.first_name
contains "$ERR" "built in" "a built-in field is refused"
head -n -2 kartoteka.lua >k.tmp && mv k.tmp kartoteka.lua

# a field declared in kartoteka.lua is removed there first
echo 'field "person.pet" { type = "text" }' >>kartoteka.lua
expect 65 field remove person.pet
contains "$ERR" "life/kartoteka.lua:" "names the declaration"

# rename: values, history and the merge log follow
expect 0 field rename person.shoe shoe_size --dry-run
contains "$OUT" "would rename person.shoe to person.shoe_size: 2 records hold a value" "dry run"
expect 0 field show person.shoe
expect 0 field rename person.shoe person.shoe_size
contains "$OUT" "renamed person.shoe to person.shoe_size" "renamed"
expect 0 get "$ID" --json
equals "$(jqget "$OUT" .shoe_size)" "42" "the value follows"
equals "$(jqget "$OUT" 'has("shoe")')" "false" "the old name is gone"
expect 0 history "$ID" --json
equals "$(jqget "$OUT" '[.[] | select(.field == "shoe_size")] | length')" "1" "history follows"
equals "$(jqget "$OUT" '[.[] | select(.field == "shoe")] | length')" "0" "no history under the old name"
expect 0 field show person.shoe_size --json
equals "$(jqget "$OUT" .required)" "true" "the declaration follows"
expect 66 field show person.shoe
contains "$ERR" "was renamed to person.shoe_size" "the old name says where it went"
expect 0 list person --where "shoe_size = 42" --count
equals "$OUT" "1" "filters use the new name"
expect 73 field rename person.shoe_size first_name
expect 73 field rename person.shoe_size fax
expect 64 field rename person.shoe_size company.size
# the old name is free for a new field made on purpose
expect 0 field add person.shoe text
# a declared field renamed: kartoteka.lua must follow, and says so until it does
expect 0 field rename person.pet animal
contains "$ERR" "now write field \"person.animal\" in " "says to change the file"
contains "$ERR" "life/kartoteka.lua:" "and names it (a long path shortened)"
expect 65 list person
contains "$ERR" "was renamed to person.animal (kt field rename): declare field \"person.animal\"" \
  "a kartoteka.lua that still declares the old name is told"
sed -i 's/person.pet"/person.animal"/' kartoteka.lua
expect 0 list person
finish
