#!/usr/bin/env bash
# The core contract (issue 2): workspace, fields, records, the write door, history, JSON shapes.
. "$(dirname "$0")/lib.sh"

# --- a workspace, found like git finds a repository
expect 0 init "$TMP/shop"
[ -f "$TMP/shop/kartoteka.lua" ] && pass || fail "kartoteka.lua made"
[ -f "$TMP/shop/kartoteka.db" ] && pass || fail "kartoteka.db made"
equals "$(sqlite3 "$TMP/shop/kartoteka.db" 'PRAGMA journal_mode')" wal "database in WAL mode"
equals "$(stat -c %a "$TMP/shop/kartoteka.db")" 600 "database readable by its owner only"
expect 73 init "$TMP/shop"
contains "$ERR" "already holds" "init refuses to overwrite"
cat >> "$TMP/shop/kartoteka.lua" <<'LUA'
field "person.expected_gifts" {
  type = "text", required = true,
  label = { en = "Expected gifts", pl = "Oczekiwane prezenty" },
}
field "person.pets" {
  type = "set", required = true,
  options = { "dog", "cat", "fish", "bird", "hamster", "rabbit", "none" },
  label = { en = "Pets", pl = "Zwierzęta" },
}
field "person.loyalty_card" { type = "text", pattern = "^[0-9]{8}$", unique = true }
LUA
mkdir -p "$TMP/shop/sub/deeper"
cd "$TMP/shop/sub/deeper"
expect 0 add person first_name=Łukasz last_name=Żółkiewski pets=dog,cat expected_gifts="a book" \
  email=lukasz@example.pl mobile="+48 600 100 200" birth_date=1980-05-17 loyalty_card=12345678
ID1=$OUT
[[ "$ID1" =~ ^[0-9]+$ ]] && pass || fail "add prints an id, got '$ID1'"
cd "$TMP"
expect 0 -C "$TMP/shop" get "$ID1"
KT_WORKSPACE="$TMP/shop" expect 0 get "$ID1"
expect 66 get "$ID1"
contains "$ERR" "no Kartoteka workspace" "outside a workspace"
cd "$TMP/shop"

# --- JSON shape of a record
expect 0 get "$ID1" --json
equals "$(jqget "$OUT" .id)" "$ID1" "id is the printed id (a string)"
equals "$(jqget "$OUT" '.id|type')" string "id type"
equals "$(jqget "$OUT" .entity)" person "entity"
equals "$(jqget "$OUT" .state)" active "state"
equals "$(jqget "$OUT" '.pets|join(",")')" "dog,cat" "set as an array"
equals "$(jqget "$OUT" .birth_date)" 1980-05-17 "date as a string"
equals "$(jqget "$OUT" .first_name)" "Łukasz" "Polish letters kept"
equals "$(jqget "$OUT" .mobile)" "+48600100200" "phone normalised"
equals "$(jqget "$OUT" .gender)" null "an empty field is null"

# --- invalid adds: every failure listed, exit 65, nothing written
before=$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record')
expect 65 add person first_name=Anna email=not-an-email birth_date=31.02.2001 pets=dog,lizard loyalty_card=12ab
contains "$ERR" "expected_gifts" "missing mandatory field named"
contains "$ERR" "lizard" "unknown option named with its value"
contains "$ERR" "dog, cat, fish" "allowed options listed"
contains "$ERR" "12ab" "pattern mismatch shows the value"
contains "$ERR" '^[0-9]{8}$' "pattern mismatch shows the rule"
contains "$ERR" "31.02.2001" "bad date shows the value"
contains "$ERR" "not-an-email" "bad e-mail shows the value"
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record')" "$before" "a failing save writes nothing"
expect 65 add person first_name=Jan last_name=Nowak pets=none expected_gifts=x loyalty_card=12345678
contains "$ERR" "already used by record $ID1" "unique field"
expect 65 add person first_name=Jan last_name=Nowak pets=none expected_gifts=x shoe_size=44
contains "$ERR" "no field 'shoe_size'" "unknown field"
expect 64 add
expect 64 add person first_name
expect 64 add starship name=x
expect 66 get 999999
expect 64 frobnicate

# --- more records, Cyrillic and Persian
expect 0 add person first_name=Мария last_name=Волкова pets=cat expected_gifts=чай country=RU mobile="8 (977) 292-01-15" city=Москва
ID2=$OUT
expect 0 add person first_name=Zofia last_name=Lis pets=fish expected_gifts=wine city=Kraków
ID3=$OUT
expect 0 add person first_name=شکوه last_name=قهستانی pets=none expected_gifts=book country=IR mobile=09132549263
ID4=$OUT

# --- set, then history
expect 0 set "$ID3" city=Gdańsk pets=fish,bird
expect 0 get "$ID3" --json
equals "$(jqget "$OUT" .city)" "Gdańsk" "set changes a field"
equals "$(jqget "$OUT" '.pets|join(",")')" "fish,bird" "set changes a set"
expect 65 set "$ID3" pets=unicorn
contains "$ERR" "unicorn" "set is validated too"
expect 0 history "$ID3" --json
equals "$(jqget "$OUT" '[.[]|select(.field=="city")]|length')" 2 "history has the create and the change of city"
equals "$(jqget "$OUT" '[.[]|select(.field=="city")][1].old')" "Kraków" "history old value"
equals "$(jqget "$OUT" '[.[]|select(.field=="city")][1].new')" "Gdańsk" "history new value"
equals "$(jqget "$OUT" '.[0]|has("at") and has("source")')" true "history entries have at and source"
equals "$(jqget "$OUT" '.[0].source')" cli "history source"

# --- list with filters
expect 0 list person --json
equals "$(jqget "$OUT" 'length')" 4 "list shows every active person"
expect 0 list person --where city=Gdańsk --json
equals "$(jqget "$OUT" '.[0].id')" "$ID3" "filter by equality"
expect 0 list person --where pets=cat --json
equals "$(jqget "$OUT" '[.[].id]|join(",")')" "$ID1,$ID2" "filter on a set means contains"
expect 0 list person --where birth_date=17.05.1980 --json
equals "$(jqget "$OUT" 'length')" 1 "filter values are normalised by type"
expect 0 list person --where country=RU --where city=Москва --json
equals "$(jqget "$OUT" 'length')" 1 "filters combine"
expect 0 list person --limit 2 --json
equals "$(jqget "$OUT" 'length')" 2 "limit"
expect 66 list person --where shoe=1
expect 64 list person --where nonsense

# --- find: insensitive to case and diacritics, across scripts
expect 0 find lukasz --json
equals "$(jqget "$OUT" '.[0].id')" "$ID1" "find lukasz finds Łukasz"
expect 0 find ŻÓŁKIEWSKI --json
equals "$(jqget "$OUT" '.[0].id')" "$ID1" "find in capitals"
expect 0 find волкова --json
equals "$(jqget "$OUT" '.[0].id')" "$ID2" "find волкова finds Волкова"
expect 0 find volkova --json
equals "$(jqget "$OUT" '.[0].id')" "$ID2" "find volkova finds Волкова"
expect 0 find "+7 977 292-01-15" --json
equals "$(jqget "$OUT" '.[0].id')" "$ID2" "find a phone by another spelling"
expect 0 find قهستانی --json
equals "$(jqget "$OUT" '.[0].id')" "$ID4" "find Persian"

# --- archive and restore: nothing is deleted
expect 0 archive "$ID2"
expect 0 list person --json
equals "$(jqget "$OUT" 'length')" 3 "archived records leave the default list"
expect 0 list person --archived --json
equals "$(jqget "$OUT" '.[0].id')" "$ID2" "--archived lists them"
expect 0 get "$ID2" --json
equals "$(jqget "$OUT" .state)" archived "state archived"
expect 0 restore "$ID2"
expect 0 get "$ID2" --json
equals "$(jqget "$OUT" .state)" active "restored"
expect 0 history "$ID2" --json
equals "$(jqget "$OUT" '[.[].action]|map(select(.=="archive" or .=="restore"))|join(",")')" "archive,restore" "history of archive and restore"
lacks "$(sqlite3 kartoteka.db '.schema')" "DELETE" "no delete anywhere in the schema"

# --- field list
expect 0 field list person --json
equals "$(jqget "$OUT" '.[]|select(.name=="pets")|.type')" set "declared field listed"
equals "$(jqget "$OUT" '.[]|select(.name=="pets")|.required')" true "required shown"
equals "$(jqget "$OUT" '.[]|select(.name=="expected_gifts")|.label.pl')" "Oczekiwane prezenty" "labels per language"
expect 0 field list --json
for e in person company deal activity sale task; do
  equals "$(jqget "$OUT" "[.[]|select(.entity==\"$e\")]|length > 3")" true "built-in entity $e"
done

# --- a new field on a populated database keeps every record; required applies to later saves
cat >> kartoteka.lua <<'LUA'
field "person.favourite_food" { type = "text" }
LUA
expect 0 get "$ID1" --json
equals "$(jqget "$OUT" .favourite_food)" null "new field empty on old records"
equals "$(jqget "$OUT" .first_name)" "Łukasz" "old values kept"
sed -i 's/field "person.favourite_food" { type = "text" }/field "person.favourite_food" { type = "text", required = true }/' kartoteka.lua
expect 0 get "$ID1"
expect 65 set "$ID1" city=Poznań
contains "$ERR" "favourite_food is required" "a later save must satisfy the new mandatory field"
expect 0 set "$ID1" city=Poznań favourite_food=pierogi
expect 0 field add person.shoe_size integer --min 20 --max 50
expect 65 set "$ID1" shoe_size=60
contains "$ERR" "maximum 50" "bounds from kt field add"
expect 0 set "$ID1" shoe_size=44
# a type change is refused, not applied
sed -i 's/field "person.favourite_food" { type = "text", required = true }/field "person.favourite_food" { type = "integer" }/' kartoteka.lua
expect 65 get "$ID1"
contains "$ERR" "kartoteka.lua:" "configuration errors name the file and line"
finish
