#!/usr/bin/env bash
# The script sandbox against deliberate escapes (issue 15): kt.query's SQL guard and budget,
# the import's own check of its counts, consent checked in C, protected metatables, date
# arithmetic out of range. Each reproduction of the issue is run as written.
. "$(dirname "$0")/lib.sh"
new_ws shop --example pet-shop
cat >> kartoteka.lua <<'LUA'
settings { script_time_ms = 1000, batch_time_ms = 1000, script_memory_mb = 32 }
LUA
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com pets=cat expected_gifts=book

# --- (3) kt.query: one SELECT on the workspace's own tables, nothing else
sqlite3 "$TMP/other.db" "CREATE TABLE secret(x); INSERT INTO secret VALUES ('the other file')"
chmod 600 "$TMP/other.db"
q() { printf 'local rows = kt.query(%s)\nprint("ran", #rows)\n' "$1" > q.lua; }
for sql in "\"ATTACH DATABASE '$TMP/other.db' AS o\"" \
           "\"ATTACH DATABASE '$TMP/made.db' AS m\"" \
           '"DETACH DATABASE main"' '"BEGIN"' '"COMMIT"' '"ROLLBACK"' '"END"' \
           '"SAVEPOINT s"' '"RELEASE s"' '"ROLLBACK TO s"' \
           '"PRAGMA query_only = ON"' '"PRAGMA journal_mode = DELETE"' '"PRAGMA user_version = 7"' \
           '"PRAGMA foreign_keys = OFF"' '"DELETE FROM person"' '"INSERT INTO person(first_name) VALUES (1)"' \
           '"CREATE TEMP TABLE t(x)"' '"CREATE TEMP VIEW v AS SELECT 1"' '"VACUUM"' \
           "\"VACUUM INTO '$TMP/copy.db'\"" '"SELECT load_extension(\"x\")"' '"ANALYZE"' '"REINDEX"'; do
  q "$sql"
  expect 65 run q.lua
  contains "$ERR" "read-only" "kt.query refuses $sql"
  contains "$ERR" "q.lua:1" "the refusal names file and line ($sql)"
done
[ ! -e "$TMP/made.db" ] && pass || fail "ATTACH created a file"
[ ! -e "$TMP/copy.db" ] && pass || fail "VACUUM INTO created a file"
q "\"ATTACH DATABASE '$TMP/other.db' AS o\""
run run q.lua
contains "$ERR" "ATTACH $TMP/other.db refused" "the refusal says what was refused"
# the statement after a refused one still works, reading is allowed
cat > q.lua <<LUA
pcall(kt.query, "ATTACH DATABASE '$TMP/other.db' AS o")
local ok = pcall(kt.query, "SELECT * FROM o.secret")
print("secret", ok)
print("rows", #kt.query("SELECT id FROM person"), #kt.query("SELECT * FROM pragma_table_info('person')"))
print("json", kt.query("SELECT count(*) AS n FROM json_each('[1,2,3]')")[1].n)
LUA
expect 0 run q.lua
contains "$OUT" "secret	false" "an attached database cannot be read"
contains "$OUT" "rows	1	" "SELECT and read-only pragmas work"
contains "$OUT" "json	3" "table-valued functions work"
# a script cannot end the transaction it runs in: its writes stay one unit
cat > tx.lua <<'LUA'
assert(kt.save { entity = "person", first_name = "Tx", last_name = "One", email = "tx@example.com", pets = { "dog" }, expected_gifts = "tea" })
pcall(kt.query, "COMMIT")
pcall(kt.query, "BEGIN")
error("undo everything")
LUA
expect 65 run tx.lua
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE first_name = 'Tx'")" 0 "COMMIT from a script did not commit half a run"
# time and memory: the script's budget bounds its SQL, with a message naming the limit
cat > cte.lua <<'LUA'
kt.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
LUA
start=$(date +%s)
expect 65 run cte.lua
contains "$ERR" "ran longer than 1000 ms" "a runaway recursive CTE stops at the time budget"
contains "$ERR" "settings { batch_time_ms = 1000 }" "the time message names the setting"
[ $(( $(date +%s) - start )) -lt 5 ] && pass || fail "the recursive CTE was not stopped quickly"
cat > blob.lua <<'LUA'
kt.query("SELECT randomblob(9e8)")
LUA
expect 65 run blob.lua
contains "$ERR" "script_memory_mb" "randomblob(9e8) stops at the memory budget"
cat > wide.lua <<'LUA'
kt.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5) SELECT group_concat(zeroblob(8000000)) FROM c")
LUA
expect 65 run wide.lua
contains "$ERR" "script_memory_mb" "a growing value stops at the memory budget"
cat > many.lua <<'LUA'
local ok, e = pcall(kt.query, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x, zeroblob(100000) AS t FROM c")
LUA
expect 65 run many.lua
contains "$ERR" "used more than 32 MiB" "rows without end stop at the memory budget"
# a report is bound the same way
mkdir -p reports
cat > reports/blob.lua <<'LUA'
return { title = "blob", run = function() return kt.query("SELECT randomblob(9e8) AS b") end }
LUA
expect 65 report blob
contains "$ERR" "script_memory_mb" "a report's SQL is bound by the memory budget"
# --- (6) what the host hands out cannot be changed for everyone
cat > mt.lua <<'LUA'
local ok1 = pcall(function() getmetatable(kt.date.of("2000-01-01")).__le = function() return true end end)
local ok2 = pcall(function() getmetatable(kt.date.of("2000-01-01")).__gc = function() while true do end end end)
local ok3 = pcall(function() kt.date.of("2000-01-01").year = 1 end)
local ok4 = pcall(setmetatable, kt.date.of("2000-01-01"), {})
print("changed", ok1, ok2, ok3, ok4, getmetatable(kt.date.of("2000-01-01")))
print("future", kt.date.of("2999-01-01") <= kt.date.of("2000-01-01"))
LUA
expect 0 run mt.lua
contains "$OUT" "changed	false	false	false	false	false" "the date metatable is protected"
contains "$OUT" "future	false" "comparisons still compare"
# a rule cannot change the record the next rule sees
cat >> kartoteka.lua <<'LUA'
rule "person.a_meddle" { message = "meddles", check = function(r)
  local mt = getmetatable(r)
  if type(mt) == "table" then mt.__index = { last_name = "Changed" } end
  local _, shared = pairs(r)
  if type(shared) == "table" then rawset(shared, "last_name", "Changed") end
  return true
end }
rule "person.b_sees" { message = "the previous rule changed what this one sees",
  check = function(r) return r.last_name ~= "Changed" end }
LUA
expect 0 add person first_name=Ula last_name=Lis email=ula@example.com pets=cat expected_gifts=book

# --- (5) consent is checked in C for every send of a marketing campaign
expect 0 add person first_name=Nie last_name=Chce email=nie@example.com mobile="600 700 801" pets=cat expected_gifts=book marketing_consent=no
NIE=$OUT
expect 0 add person first_name=Tak last_name=Chce email=tak@example.com pets=cat expected_gifts=book marketing_consent=yes
TAK=$OUT
cat >> kartoteka.lua <<LUA
campaign "leak" {
  entity = "person",
  filter = { marketing_consent = "yes" },
  action = function(r, day)
    kt.send { channel = "email", to = "nie@example.com", text = "by address" }
    kt.send { channel = "email", to = "Nie Chce <NIE@example.com>", text = "by a display name" }
    kt.send { channel = "sms", to = "600700801", text = "by phone" }
    local ok, why = kt.send { channel = "email", to = "anyone@example.org", person = $NIE, text = "by person" }
    kt.print("person", ok, why)
    kt.send { channel = "email", to = r.email, text = "to the one who said yes" }
  end,
}
campaign "notice" {
  entity = "person", marketing = false,
  filter = { marketing_consent = "yes" },
  action = function(r, day) kt.send { channel = "email", to = "nie@example.com", text = "a service notice" } end,
}
LUA
expect 0 campaign run leak --as-of 2030-01-02
contains "$OUT" "4 skipped for consent" "the summary counts refused sends"
contains "$OUT" "person	false	no marketing consent" "kt.send tells the action why"
sed -i 's/^    kt.print("person", ok, why)$//' kartoteka.lua
expect 0 campaign run leak --json
equals "$(jqget "$OUT" '[.[].messages[].to] | join(",")')" "tak@example.com" "only the consenting person's message is queued"
equals "$(jqget "$OUT" '[.[].skipped_consent[].person] | unique | join(",")')" "$NIE" "the refused sends are logged with the person"
equals "$(jqget "$OUT" '[.[].skipped_consent[]] | length')" "4" "every refused send is logged"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM kt_outbox WHERE recipient <> 'tak@example.com'")" 0 "nothing for the person who said no reached the outbox"
expect 0 campaign run notice --json
equals "$(jqget "$OUT" '[.[].messages[].to] | join(",")')" "nie@example.com" "a campaign that is not marketing is not refused"

# --- dates out of range are errors, never "" (and no signed overflow under UBSan)
for expr in 'kt.date.of("9999-12-31") + 1' 'kt.date.of("2000-01-01") + math.maxinteger' \
            'math.maxinteger + kt.date.of("2000-01-01")' 'kt.date.of("2000-01-01") - math.mininteger' \
            'kt.date.of("0001-01-01") - 1' 'kt.date.add("2000-01-01", math.maxinteger)' \
            'kt.date.add("2000-01-01", math.mininteger)' 'kt.date.add(kt.date.of("9999-12-31"), 1)'; do
  printf 'local ok, e = pcall(function() return %s end)\nprint(ok, e)\n' "$expr" > range.lua
  expect 0 run range.lua
  contains "$OUT" "false" "$expr is an error"
  contains "$OUT" "outside years 1 to 9999" "$expr says why"
done
printf 'print(kt.date.of("2000-01-01") + 1, kt.date.add("2000-01-01", -1), kt.date.of("2000-03-01") - 1)\n' > range.lua
expect 0 run range.lua
contains "$OUT" "2000-01-02	1999-12-31	2000-02-29" "dates in range still move"

# --- KT_NOW: one parser for both clocks; what one refuses the other refuses too
KT_NOW=garbage expect 65 add person first_name=Now last_name=Bad email=now@example.com pets=cat expected_gifts=book
contains "$ERR" "KT_NOW" "a malformed KT_NOW is refused by the store's clock"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE first_name = 'Now'")" 0 "nothing was written with a refused KT_NOW"
KT_NOW="2031-02-03 04:05:06" expect 0 add person first_name=Now last_name=Good email=now@example.com pets=cat expected_gifts=book
equals "$(sqlite3 kartoteka.db "SELECT min(at) FROM kt_change WHERE record = $OUT")" "2031-02-03T04:05:06Z" "the store writes KT_NOW as the clocks read it"

# --- a looping audience: the run as a whole has a budget, named in the message
new_ws loop --example pet-shop
cat >> kartoteka.lua <<'LUA'
settings { script_time_ms = 100, campaign_time_ms = 400 }
campaign "spin" {
  entity = "person",
  audience = function(r, day) while true do end end,
  action = function(r, day) end,
}
LUA
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
  expect 0 add person first_name=P$i last_name=Loop email=p$i@example.com pets=cat expected_gifts=book
done
start=$(date +%s%N)
expect 65 campaign run spin
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
contains "$ERR" "setting campaign_time_ms" "the message names the setting"
contains "$ERR" "left for the next run" "the message says what is left"
[ "$elapsed" -lt 3000 ] && pass || fail "the run went on for $elapsed ms"

finish
