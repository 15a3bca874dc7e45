#!/usr/bin/env bash
# A command declares kartoteka.lua to the registry again only when something that shapes it
# changed (issue 22): kartoteka.lua, a file it requires, a plugin it loads, the registry itself.
# Each change takes effect at the next command; rules and default functions, which live in Lua,
# work on every command, declared or not.
. "$(dirname "$0")/lib.sh"

new_ws shop
applied() { sqlite3 kartoteka.db "SELECT hash FROM kt_config_applied"; }
cat > shop_fields.lua <<'LUA'
field "person.shoe_size" { type = "integer", label = "Shoe size" }
return {}
LUA
cat >> kartoteka.lua <<'LUA'
require "shop_fields"
field "person.tier" { type = "text", default = function(r) return "bronze" end }
rule "person.no_xx" { message = "XX is not a name", check = function(r)
  return r.last_name ~= "XX"
end }
LUA
expect 0 field list person --json
equals "$(jqget "$OUT" '.[] | select(.name == "shoe_size") | .label.en')" "Shoe size" "a required file's field declared"
H1=$(applied)
[ -n "$H1" ] && pass || fail "the applied configuration is remembered"
contains "$(sqlite3 kartoteka.db "SELECT files FROM kt_config_applied")" "shop_fields.lua" "the required file is among its files"

# nothing changed: not declared again, yet the Lua parts work
expect 0 add person first_name=Ann last_name=Lee
ID=$OUT
equals "$(applied)" "$H1" "unchanged configuration, unchanged hash"
expect 0 get "$ID" --json
equals "$(jqget "$OUT" '.tier')" "bronze" "a default function works on a command that did not declare"
expect 65 add person first_name=Bob last_name=XX
contains "$ERR" "XX is not a name" "a rule works on a command that did not declare"

# a required file changes: its change takes effect at once
cat > shop_fields.lua <<'LUA'
field "person.shoe_size" { type = "integer", label = "Shoe size (EU)" }
field "person.hat" { type = "text", label = "Hat" }
return {}
LUA
expect 0 field list person --json
equals "$(jqget "$OUT" '.[] | select(.name == "shoe_size") | .label.en')" "Shoe size (EU)" "a required file's change declared"
equals "$(jqget "$OUT" '.[] | select(.name == "hat") | .label.en')" "Hat" "a field added in a required file"
[ "$(applied)" != "$H1" ] && pass || fail "the hash follows the required file"
H2=$(applied)

# kartoteka.lua changes (same size, one letter): declared again
sed -i 's/return "bronze"/return "silver"/' kartoteka.lua
echo 'field "person.scarf" { type = "text", label = "Scarf" }' >> kartoteka.lua
expect 0 add person first_name=Cy last_name=Ng
expect 0 get "$OUT" --json
equals "$(jqget "$OUT" '.tier')" "silver" "the changed default function"
equals "$(jqget "$OUT" 'has("scarf")')" "true" "a field added to kartoteka.lua"
[ "$(applied)" != "$H2" ] && pass || fail "the hash follows kartoteka.lua"

# the registry changed by a command: the next command declares again, and the field stays
H3=$(applied)
expect 0 field add person.badge text --label Badge
expect 0 field list person --json
equals "$(jqget "$OUT" '.[] | select(.name == "badge") | .label.en')" "Badge" "a field added by kt field add"
[ "$(applied)" != "$H3" ] && pass || fail "the hash follows the registry's version"

# a plugin it loads changes (its file touched): declared again
mkdir -p plugins
cp "$KT_PLUGIN_PATH/xlsx.so" plugins/xlsx.so
echo 'plugin "xlsx"' >> kartoteka.lua
expect 0 field list person
H4=$(applied)
contains "$(sqlite3 kartoteka.db "SELECT files FROM kt_config_applied")" "plugins/xlsx.so" "the plugin is among its files"
expect 0 field list person
equals "$(applied)" "$H4" "unchanged plugin, unchanged hash"
touch -d '2001-01-01' plugins/xlsx.so
expect 0 field list person
[ "$(applied)" != "$H4" ] && pass || fail "the hash follows the plugin's file"

# a broken kartoteka.lua is refused every time, remembered or not
echo 'field "person.broken" { type = "no_such_type" }' >> kartoteka.lua
expect 66 field list person
expect 66 field list person
sed -i '$d' kartoteka.lua
expect 0 field list person

finish
