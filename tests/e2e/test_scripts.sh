#!/usr/bin/env bash
# The scripting layer (issue 3): rules in kartoteka.lua, kt run, the sandbox, budgets, kt check,
# kt test.
. "$(dirname "$0")/lib.sh"
new_ws shop --example pet-shop
cat >> kartoteka.lua <<'LUA'
settings { script_time_ms = 1000, batch_time_ms = 3000, script_memory_mb = 32 }
LUA

# --- rules: errors block with every failure listed; warnings save and are reported
expect 65 add person first_name=Jan last_name=Nowak pets=dog expected_gifts=book
contains "$ERR" "a client needs a mobile number or an e-mail" "rule message"
contains "$ERR" "person.reachable" "rule named"
expect 65 add person first_name=Jan last_name=Nowak pets=dog expected_gifts=book email=jan@example.com birth_date=2999-01-01
contains "$ERR" "person.birth_date_past" "second rule"
expect 65 add person first_name=Jan pets=lizard expected_gifts=book
contains "$ERR" "last_name is required" "field failures and rule failures listed together"
contains "$ERR" "person.reachable" "rule failures listed with field failures"
expect 0 add person first_name=Reza last_name=Ahmadi country=IR mobile="+98 21 1234 5678" pets=none expected_gifts=tea
contains "$ERR" "warning" "a warning rule saves and warns"
contains "$ERR" "person.mobile_ir" "warning names its rule"
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com pets=cat expected_gifts=book city=Kraków
OLA=$OUT

# --- kt run: read, save through the write door, refused by rules
cat > read.lua <<'LUA'
local p = kt.get(tonumber(kt.args[1]))
print(p.first_name, p.city, p.pets[1])
print(#kt.list("person", { city = "Kraków" }), #kt.find("lis"))
local rows = kt.query("SELECT count(*) AS n FROM person WHERE city = ?", "Kraków")
print("query", rows[1].n)
print("fold", kt.text.fold("Łukasz ВОЛКОВА"), kt.text.title("anna maria"))
print("date", kt.date.add("2024-02-28", 1), kt.date.year(kt.date.of("2024-03-01") + 7))
LUA
expect 0 run read.lua "$OLA"
contains "$OUT" "Ola	Kraków	cat" "kt.get"
contains "$OUT" "1	1" "kt.list and kt.find"
contains "$OUT" "query	1" "kt.query with parameters"
contains "$OUT" "fold	lukasz volkova	Anna Maria" "kt.text"
contains "$OUT" "date	2024-02-29	2024" "kt.date"
cat > save.lua <<'LUA'
local id, why = kt.save { entity = "person", first_name = "Ewa", last_name = "Nowak", pets = { "dog" },
                          expected_gifts = "wine" }
assert(id == nil, "refused by the rule")
print("refused", why[1].rule, why[1].message)
local id2 = assert(kt.save { entity = "person", first_name = "Ewa", last_name = "Nowak", pets = { "dog" },
                             expected_gifts = "wine", mobile = "600 700 800" })
print("saved", id2)
assert(#kt.find("ewa nowak") == 1, "a script finds what it saved in its own transaction")
assert(kt.save { id = id2, entity = "person", city = "Gdańsk" })
assert(kt.log { person = id2, kind = "call", class = "client interest", note = "asked about food" })
assert(kt.archive(id2))
LUA
expect 0 run save.lua
contains "$OUT" "refused	person.reachable	a client needs a mobile number or an e-mail" "kt.save returns the failures"
EWA=$(printf '%s\n' "$OUT" | awk '/^saved/{print $2}')
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_search_pending')" 0 "staged search entries reach the index at commit"
expect 0 find Gdańsk --json
equals "$(jqget "$OUT" '.[0].id')" "$EWA" "what a script saved is found after it"
expect 0 get "$EWA" --json
equals "$(jqget "$OUT" .city)" "Gdańsk" "kt.save updates"
equals "$(jqget "$OUT" .state)" "archived" "kt.archive"
expect 0 history "$EWA" --json
contains "$(jqget "$OUT" '.[0].source')" "script save.lua" "history names the script"
expect 0 list activity --where person="$EWA" --json
equals "$(jqget "$OUT" '.[0].kind')" call "kt.log writes an activity"
cat > write.lua <<'LUA'
kt.query("DELETE FROM person")
LUA
expect 65 run write.lua
contains "$ERR" "read-only" "kt.query cannot write"
contains "$ERR" "write.lua:1" "errors name file and line"

# --- the sandbox: each forbidden thing fails with file and line
for snippet in 'io.open("/etc/passwd")' 'os.execute("true")' 'os.remove("x")' 'os.rename("a","b")' \
               'os.exit(1)' 'os.getenv("HOME")' 'package.loadlib("x","y")' 'debug.getinfo(1)' \
               'string.dump(print)' 'dofile("x.lua")' 'loadfile("x.lua")' 'assert(load("\27Lua"))' \
               'require("os")' 'require("../x")'; do
  printf 'local x = 1\n%s\n' "$snippet" > forbidden.lua
  expect 65 run forbidden.lua
  contains "$ERR" "forbidden.lua:2" "sandbox: $snippet names file and line"
done
printf 'x = undefined_global + 1\n' > undef.lua
expect 65 run undef.lua
contains "$ERR" "undefined_global" "reading an undefined global is an error"

# --- budgets: stopped with a clear message and nothing written
count() { sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record'; }
before=$(count)
cat > loop.lua <<'LUA'
kt.save { entity = "person", first_name = "Loop", last_name = "Er", email = "l@example.com", pets = { "dog" }, expected_gifts = "x" }
while true do end
LUA
start=$(date +%s%N)
expect 65 run loop.lua
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -lt 6000 ] && pass || fail "endless loop stopped within the budget (took ${elapsed} ms)"
contains "$ERR" "loop.lua" "the message names the script"
equals "$(count)" "$before" "nothing the looping script wrote is committed"
cat > hog.lua <<'LUA'
kt.save { entity = "person", first_name = "Hog", last_name = "Er", email = "h@example.com", pets = { "dog" }, expected_gifts = "x" }
local t = {}
for i = 1, 1e9 do t[i] = string.rep("x", 1000000) .. i end
LUA
expect 65 run hog.lua
contains "$ERR" "hog.lua" "memory hog: message names the script"
contains "$ERR" "more than 32 MiB" "memory hog: names the memory cap"
equals "$(count)" "$before" "nothing the memory hog wrote is committed"
cat > xp.lua <<'LUA'
xpcall(function() while true do end end, function() while true do end end)
LUA
expect 65 run xp.lua
printf 'local s = ("a"):rep(80)\nreturn s:find(("a*"):rep(6) .. "b")\n' > pattern.lua
start=$(date +%s%N)
run run pattern.lua
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$RC" -ne 0 ] && pass || fail "a catastrophic pattern is stopped"
[ "$elapsed" -lt 8000 ] && pass || fail "pattern stopped within the budget plus grace (took ${elapsed} ms)"
# one script's changes to shared tables are not seen by the next
printf 'string.upper = function() return "hacked" end\n' > mutate.lua
run run mutate.lua
printf 'print(("x"):upper())\n' > after.lua
expect 0 run after.lua
equals "$OUT" "X" "library tables are not shared between scripts"

# --- kt check: completeness, then a field made mandatory on a populated workspace
expect 0 check --json
equals "$(jqget "$OUT" .clean)" true "clean at first"
equals "$(jqget "$OUT" '.entities[]|select(.entity=="person")|.fields[]|select(.field=="email")|.filled')" 1 "completeness counts"
equals "$(jqget "$OUT" '.entities[]|select(.entity=="person")|.records')" 2 "completeness counts active records"
sed -i 's/field "person.loyalty_card" {/field "person.loyalty_card" { required = true,/' kartoteka.lua
expect 65 check person --json
equals "$(jqget "$OUT" '[.entities[0].problems[]|select(.rule=="required" and .field=="loyalty_card")]|length')" 2 "records missing the new mandatory field listed"
expect 0 get "$OLA"
sed -i 's/{ required = true,/{/' kartoteka.lua
expect 0 check person
cat >> kartoteka.lua <<'LUA'
rule "person.not_krakow" { message = "Kraków is closed", check = function(r) return r.city ~= "Kraków" end }
LUA
expect 0 add person first_name=Iga last_name=Kos email=iga@example.com pets=dog expected_gifts=book city=Poznań
sed -i 's/r.city ~= "Kraków"/r.city ~= "Poznań"/' kartoteka.lua
expect 65 check person --json
equals "$(jqget "$OUT" '[.entities[0].problems[]|select(.rule=="person.not_krakow")]|length')" 1 "a rule added later flags stored records"

# --- the rules of one save read one shared copy of the record: a rule's writes stay its own,
# and pairs() still walks the fields
cp kartoteka.lua kartoteka.lua.bak
cat >> kartoteka.lua <<'LUA'
rule "person.a_writer" { check = function(r) r.city = "Nowhere"; r.extra = 1; return true end }
rule "person.b_reader" { message = "saw another rule's write",
  check = function(r) return r.city == "Gdańsk" and r.extra == nil end }
rule "person.c_pairs" { message = "pairs saw no fields",
  check = function(r) local n = 0; for _ in pairs(r) do n = n + 1 end; return n >= 6 end }
LUA
expect 0 add person first_name=Edyta last_name=Bik email=edyta@example.com pets=dog expected_gifts=book city=Gdańsk
equals "$ERR" "" "rules see the record, not each other's writes"
equals "$(sqlite3 kartoteka.db "SELECT city FROM person WHERE first_name = 'Edyta'")" "Gdańsk" "a rule's write is not saved"
mv kartoteka.lua.bak kartoteka.lua

# --- kt test: a passing and a failing workspace test, failures name file and line
mkdir -p tests
cat > tests/fail_test.lua <<'LUA'
local id = kt.save { entity = "person", first_name = "A", last_name = "B", email = "a@example.com", pets = { "dog" }, expected_gifts = "x", city = "Poznań" }
assert(id, "this save is refused by person.not_krakow")
LUA
expect 1 test
contains "$OUT" "ok   $TMP/shop/tests/rules_test.lua" "passing test"
contains "$OUT" "FAIL" "failing test"
contains "$ERR" "fail_test.lua:2" "failure names file and line"
contains "$OUT" "1 passed, 1 failed" "summary"
expect 0 test tests/rules_test.lua
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE first_name = 'Anna'")" 0 "tests run on a copy, not the workspace"
finish
