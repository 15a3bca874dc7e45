#!/usr/bin/env bash
# Phone numbers through the phone plugin (libphonenumber, issue 24): any country's spelling
# stored in E.164, a field's kind checked against the numbering plan, `kt get` showing the
# number as its country writes it, search and duplicate checks on any spelling, and the C++
# library loaded with the plugin only.
. "$(dirname "$0")/lib.sh"
new_ws shop
cat >> kartoteka.lua <<'LUA'
field "person.mobile" { type = "phone", kind = "mobile" }
LUA

# --- a landline in a mobile field is refused, naming its type; the work phone takes it
expect 65 add person first_name=Jan last_name=Nowak mobile="22 629 90 00"
contains "$ERR" "is a fixed_line number, but the field takes mobile only" "kind names the type"
contains "$ERR" "mobile" "the failure names the field"
expect 0 add person first_name=Jan last_name=Nowak mobile="601-234-567" work_phone="(22) 629 90 00"
JAN=$OUT
expect 65 add person first_name=Ewa last_name=Lis mobile="601 234 56"
contains "$ERR" "a phone number in Poland has 7 or 9 digits after +48, got 8" "a wrong length names the lengths"
expect 65 add person first_name=Ewa last_name=Lis mobile="999 999 999"
contains "$ERR" "not a number in use in Poland" "an unassigned range is refused"
expect 0 field show person.mobile
contains "$(tr -d " \t" <<<"$OUT")" '"kind":"mobile"' "kind is a property of the field"

# --- storage is E.164; kt get shows the country's own way, --json the stored form
expect 0 get "$JAN"
contains "$OUT" "mobile: 601 234 567" "kt get shows the national form at home"
contains "$OUT" "work_phone: 22 629 90 00" "a landline too"
expect 0 get "$JAN" --json
equals "$(jqget "$OUT" .mobile)" "+48601234567" "stored in E.164"
expect 0 add person first_name=Kira last_name=Rybakova country=RU mobile="8 (916) 123-45-67"
KIRA=$OUT
expect 0 get "$KIRA"
contains "$OUT" "mobile: 8 (916) 123-45-67" "a Russian record shows the Russian form"
expect 0 add person first_name=Hans last_name=Berg mobile="0049 171 2345678"
HANS=$OUT
expect 0 get "$HANS"
contains "$OUT" "mobile: +49 171 2345678" "a foreign number in a Polish record is international"
expect 0 add person first_name=Reza last_name=Karimi country=IR mobile="۰۹۱۲ ۱۱۱ ۲۲۳۳"
expect 0 get "$OUT" --json
equals "$(jqget "$OUT" .mobile)" "+989121112233" "Persian digits"

# --- search and duplicates on any spelling: the stored E.164 is the key
for q in "601 234 567" "+48 601-234-567" "0048601234567"; do
  expect 0 find "$q"
  contains "$OUT" "$JAN" "kt find '$q'"
done
expect 0 find "+7 916 123 45 67"
contains "$OUT" "$KIRA" "kt find a Russian number in international spelling"
run add person first_name=Jan last_name=Nowak mobile="+48 601 234 567"
[ "$RC" -ne 0 ] && pass || fail "the same person with another spelling of the number is a duplicate"
contains "$ERR$OUT" "$JAN" "the duplicate names the record it matches"

# --- Lua: kt.phone.type, national, international
cat > phones.lua <<'LUA'
print(kt.phone.type("22 629 90 00"), kt.phone.type("+48601234567"), kt.phone.type("800 123 456"))
print(kt.phone.national("+79161234567"), kt.phone.international("601234567"))
print(kt.phone.e164("8 (916) 123-45-67", "RU"), kt.phone.display("+48601234567"))
print(kt.phone.valid("601 234 56"))
LUA
expect 0 run phones.lua
contains "$OUT" $'fixed_line\tmobile\ttoll_free' "kt.phone.type"
contains "$OUT" $'8 (916) 123-45-67\t+48 601 234 567' "kt.phone.national and international"
contains "$OUT" $'+79161234567\t601 234 567' "kt.phone.e164 with a country, kt.phone.display"
contains "$OUT" "got 8" "kt.phone.valid says why"

# --- kind is for types that have sorts, and unchecked it would be a rule skipped
expect 65 field add person.nick text --kind mobile
contains "$ERR" "kind only applies to phone and plugin types, not text" "kind on a text field"
new_ws bare
sed -i 's/^plugin "phone"/-- plugin "phone"/' kartoteka.lua
cat >> kartoteka.lua <<'LUA'
field "person.mobile" { type = "phone", kind = "mobile" }
LUA
expect 65 add person first_name=Jan last_name=Nowak mobile="601 234 567"
contains "$ERR" "the field's kind needs the type's plugin" "kind without the phone plugin"
cd "$TMP/shop"

# --- the C++ runtime comes with phone.so only: kt itself is C
if command -v readelf >/dev/null; then
  lacks "$(readelf -d "$KT")" "libstdc++" "kt does not link the C++ runtime"
  lacks "$(readelf -d "$KT")" "libphonenumber" "kt does not link libphonenumber"
fi
expect 0 plugin list
contains "$OUT" "phone" "the plugin loads beside the C core"
finish
