#!/usr/bin/env bash
# Access rules in kartoteka.lua (issue 18): access "deal" { read = ..., write = ... } narrows
# what roles allow, checked by the core on every path: the API, the command line, a Lua script,
# an import; reads hide what a rule refuses (get, list, search, history).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

new_ws access
cat >>kartoteka.lua <<'LUA'
field "deal.owner" { type = "text" }
access "deal" {
  write = function(user, record) return record.owner == user.name or user.role ~= "staff" end,
  read = function(user, record) return user.role ~= "viewer" or record.stage ~= "lost" end,
}
-- a rule that binds the owner too: the paths without a server obey it as well
access "task" { write = function(user, record) return record.title ~= "Forbidden" end }
LUA
ANNA=$("$KT" token add anna --role staff)
BOB=$("$KT" token add bob --role staff)
BOSS=$("$KT" token add boss --role manager)
VIEW=$("$KT" token add view --role viewer)
start_serve http --threads 2


# write: staff only on their own deals; a manager on any
call "$ANNA" POST /deal -d '{"title":"Anna deal","owner":"anna"}'; status 201 "anna creates her deal"
A=$(jqget "$BODY" .id)
call "$ANNA" POST /deal -d '{"title":"For bob","owner":"bob"}';    status 403 "anna cannot create bob's deal"
contains "$BODY" "access" "the refusal names the access rule"
call "$BOB" PATCH "/deal/$A" -d '{"amount":"5"}';                  status 403 "bob cannot change anna's deal"
call "$BOB" PATCH "/deal/$A" -d '{"owner":"bob"}';                 status 403 "nor take it over"
call "$ANNA" PATCH "/deal/$A" -d '{"amount":"5"}';                 status 200 "anna changes her deal"
call "$ANNA" PATCH "/deal/$A" -d '{"owner":"bob"}';                status 403 "anna cannot hand it to bob"
call "$BOSS" PATCH "/deal/$A" -d '{"next_step":"call"}';           status 200 "a manager changes any deal"
call "$BOSS" POST /deal -d '{"title":"Lost one","owner":"bob","stage":"lost"}'; status 201 "a lost deal"
L=$(jqget "$BODY" .id)
call "$BOSS" POST "/deal/$A/archive";                              status 200 "a manager archives"
call "$BOSS" POST "/deal/$A/restore";                              status 200 "and restores"
run history "$A" --json
lacks "$OUT" "For bob" "a refused create left no history"

# read: a viewer does not see lost deals anywhere
call "$VIEW" GET "/deal/$L";                 status 403 "a viewer cannot read a lost deal"
call "$VIEW" GET "/deal/$L/history";         status 403 "nor its history"
call "$VIEW" GET /deal;                      status 200 "a viewer lists deals"
equals "$(jqget "$BODY" '[.[].title] | join(",")')" "Anna deal" "the list leaves the lost deal out"
call "$VIEW" GET "/find?q=Lost";             status 200 "a viewer searches"
equals "$(jqget "$BODY" 'length')" "0" "search leaves it out too"
call "$ANNA" GET "/deal/$L";                 status 200 "staff reads it"
stop_serve 2>/dev/null || kill "$PID"

# the paths without a server: the command line, a script, an import
expect 65 add task title=Forbidden
contains "$ERR" "may not create this task" "the command line obeys the rule"
expect 0 add task title=Allowed
T=$OUT
expect 65 set "$T" title=Forbidden
mkdir -p scripts
cat >scripts/t.lua <<'LUA'
local id, why = kt.save { entity = "task", title = "Forbidden" }
print(id, why and why[1].message)
LUA
run run scripts/t.lua
contains "$OUT$ERR" "may not create this task" "a Lua script obeys the rule"
mkdir -p imports
cat >imports/tasks.lua <<'LUA'
return { entity = "task", read = { format = "csv" },
  map = function(row) return { title = row.title } end }
LUA
printf 'title\nFine\nForbidden\n' >tasks.csv
run import tasks.csv --script imports/tasks.lua --rejects rejects.csv --json
contains "$(cat rejects.csv)" "may not create this task" "an import obeys the rule"
equals "$(jqget "$OUT" '.rejected')" "1" "the refused row is rejected, the others imported"
expect 0 list task --json
equals "$(jqget "$OUT" '[.[].title] | sort | join(",")')" "Allowed,Fine" "only the allowed tasks exist"

# a malformed rule is refused when the workspace opens
cp kartoteka.lua good.lua
echo 'access "nothing" { read = function() return true end }' >>kartoteka.lua
expect 66 list task
contains "$ERR" "no entity 'nothing'" "an unknown entity"
cp good.lua kartoteka.lua
echo 'access "task" { reed = function() return true end }' >>kartoteka.lua
expect 65 list task
contains "$ERR" "reed" "an unknown key"
finish
