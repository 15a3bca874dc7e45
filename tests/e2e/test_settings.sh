#!/usr/bin/env bash
# Budgets fit the kind of script, and kartoteka.lua refuses what it does not know (issue 21):
# a rule per save keeps script_time_ms, a whole kt run and a report get batch_time_ms (minutes
# by default); the "ran longer" message names the setting and its value; a misspelled setting,
# field property or declaration key is an error with a "did you mean".
. "$(dirname "$0")/lib.sh"
new_ws budgets
base=$(cat kartoteka.lua)
with() { printf '%s\n%s\n' "$base" "$1" >kartoteka.lua; }

# --- a kt run longer than a rule's budget is not stopped by it
with 'settings { script_time_ms = 100 }'
cat >busy.lua <<'LUA'
local t0 = os.clock()
while os.clock() - t0 < 0.5 do end
print("done")
LUA
expect 0 run busy.lua
equals "$OUT" "done" "kt run has the batch budget, not a rule's 100 ms"
# ... nor a report
mkdir -p reports
cat >reports/slow.lua <<'LUA'
return { title = "slow", columns = { "n" }, run = function()
  local t0 = os.clock()
  while os.clock() - t0 < 0.5 do end
  return { { n = 1 } }
end }
LUA
expect 0 report slow --json
equals "$(jq -r '.[0].n' <<<"$OUT")" "1" "a report has the batch budget"

# --- a rule keeps the tight budget, and the message names the setting
with 'settings { script_time_ms = 100 }
rule "person.slow" { check = function() while true do end end }'
expect 65 add person first_name=A last_name=B
contains "$ERR" "ran longer than 100 ms" "a rule is stopped by script_time_ms"
contains "$ERR" "settings { script_time_ms = 100 }" "the message names the setting and its value"
with 'settings { batch_time_ms = 200 }'
echo 'while true do end' >loop.lua
expect 65 run loop.lua
contains "$ERR" "ran longer than 200 ms" "kt run is stopped by batch_time_ms"
contains "$ERR" "settings { batch_time_ms = 200 }" "the kt run message names batch_time_ms"

# --- unknown settings, field properties and keys: errors with a suggestion
with 'settings { scrip_time_ms = 2000 }'
expect 65 list person
contains "$ERR" "unknown key 'scrip_time_ms' (did you mean 'script_time_ms'?" "misspelled setting"
contains "$ERR" "kartoteka.lua:" "the setting's error names the file and line"
with 'settings { smtp_url = "smtp://localhost", email_channel = "smtp", file_dir = "out" }'
expect 0 list person
with 'field "person.x" { type = "text", requird = true }'
expect 65 list person
contains "$ERR" "unknown property 'requird' (did you mean 'required'?)" "misspelled field property"
with 'rule "person.r" { mesage = "x", check = function() return true end }'
expect 65 list person
contains "$ERR" "unknown key 'mesage' (did you mean 'message'?" "misspelled rule key"
with 'dedupe "person" { treshold = 0.9, compare = { { field = "email", method = "email", weight = 1 } } }'
expect 65 list person
contains "$ERR" "unknown key 'treshold' (did you mean 'threshold'?" "misspelled dedupe key"
with 'campaign "c" { entity = "person", acton = function() end }'
expect 65 campaign list
contains "$ERR" "did you mean \"action\"?" "misspelled campaign key"
finish
