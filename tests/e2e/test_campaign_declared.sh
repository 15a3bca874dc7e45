#!/usr/bin/env bash
# Declared audiences (`audience = { anniversary = ..., days_ahead = N }`, `{ inactive_since =
# ..., days = N }`, with `also`) reach exactly the people, in the same order and with the same
# messages, as the Lua audience functions that say the same thing: on generated people with
# birthdays on 29 February and at the turn of the year, some in years to come, and opted-out ones.
source "$(dirname "$0")/lib.sh"

new_ws declared
cat >>kartoteka.lua <<'LUA'
settings { script_time_ms = 120000 }
field "person.last_order" { type = "date" }
local function act(r, day)
  kt.send { channel = "email", to = r.email or ("nobody-" .. r.id .. "@example.com"),
            text = "Hello {{name}}, {{day}}", data = { name = r.first_name, day = day } }
end
local function key(r, day) return "k-" .. kt.date.year(day + 7) end
campaign "lua_birthday" { entity = "person", key = key, action = act,
  audience = function(r, day) return kt.date.anniversary(r.birth_date, day + 7) end }
campaign "sql_birthday" { entity = "person", key = key, action = act,
  audience = { anniversary = "birth_date", days_ahead = 7 } }
campaign "lua_today" { entity = "person", action = act, marketing = false,
  audience = function(r, day) return kt.date.anniversary(r.birth_date, day) end }
campaign "sql_today" { entity = "person", action = act, marketing = false,
  audience = { anniversary = "birth_date" } }
campaign "lua_mailable" { entity = "person", action = act, filter = { marketing_consent = "yes" },
  audience = function(r, day)
    return kt.date.anniversary(r.birth_date, day + 7) and r.email ~= nil
  end }
campaign "sql_mailable" { entity = "person", action = act, filter = { marketing_consent = "yes" },
  audience = { anniversary = "birth_date", days_ahead = 7,
               also = function(r, day) return r.email ~= nil end } }
campaign "lua_lapsed" { entity = "person", action = act,
  audience = function(r, day)
    return r.last_order ~= nil and r.last_order <= tostring(day - 90)
  end }
campaign "sql_lapsed" { entity = "person", action = act,
  audience = { inactive_since = "last_order", days = 90 } }
campaign "lua_quiet" { entity = "person", action = act,
  audience = function(r, day)
    local a = kt.last_activity(r.id, { status = "done" })
    return a ~= nil and a.at:sub(1, 10) <= tostring(day - 30)
  end }
campaign "sql_quiet" { entity = "person", action = act,
  audience = { inactive_since = "activities", days = 30 } }
LUA
expect 0 run "$SRC/tests/e2e/campaign/gen_dates.lua" 400

# same NAME DAY: the dry runs of lua_NAME and sql_NAME on DAY give the same steps
same() {
  expect 0 campaign run "lua_$1" --as-of "$2" --dry-run --json
  local want got
  want=$(jqget "$OUT" '[.[] | {record, key, messages, tasks, error}]')
  expect 0 campaign run "sql_$1" --as-of "$2" --dry-run --json
  got=$(jqget "$OUT" '[.[] | {record, key, messages, tasks, error}]')
  equals "$got" "$want" "$1 on $2: declared = Lua"
  [ "$(jqget "$want" 'length')" -gt 0 ] && pass || fail "$1 on $2: nobody reached, nothing compared"
}
same birthday 2027-02-21   # 28 Feb 2027: the 29 February people too
same birthday 2028-02-22   # 29 Feb 2028: only them
same birthday 2028-02-21   # 28 Feb 2028: not them
same birthday 2027-12-31   # 7 January of the next year
same birthday 2027-12-25   # New Year's Day
same today 2027-02-28
same today 2027-01-01
same mailable 2027-12-25
same mailable 2027-02-21
same lapsed 2027-04-01
same lapsed 2026-12-31
same quiet 2027-04-01

# the 29 February births: on 28 February in 2027, not in 2028
expect 0 campaign run sql_today --as-of 2027-02-28 --dry-run --json
LEAP=$("$KT" list person --where birth_date~-02-29 --json --show-pii | jq -r '[.[] | select(.birth_date <= "2027") | .id] | sort | join(" ")')
[ -n "$LEAP" ] && pass || fail "no 29 February births generated"
for id in $LEAP; do contains " $(jqget "$OUT" '[.[].record] | join(" ")') " " $id " "29 Feb person $id on 28 Feb 2027"; done
expect 0 campaign run sql_today --as-of 2028-02-28 --dry-run --json
for id in $LEAP; do lacks " $(jqget "$OUT" '[.[].record] | join(" ")') " " $id " "29 Feb person $id not on 28 Feb 2028"; done
# people born after the day have no anniversary yet
FUTURE=$("$KT" list person --json --show-pii | jq -r '[.[] | select(.birth_date > "2028-01-07" and (.birth_date[5:] == "01-07")) | .id] | join(" ")')
expect 0 campaign run sql_birthday --as-of 2027-12-31 --dry-run --json
for id in $FUTURE; do lacks " $(jqget "$OUT" '[.[].record] | join(" ")') " " $id " "born later: $id"; done
# opted out: never in a marketing campaign
NO=$("$KT" list person --where marketing_consent=no --json | jq -r '.[].id')
for d in 2027-02-21 2027-12-31; do
  expect 0 campaign run sql_birthday --as-of $d --dry-run --json
  for id in $NO; do lacks " $(jqget "$OUT" '[.[].record] | join(" ")') " " $id " "opted-out $id on $d"; done
done
# the month-day index answers the anniversary
contains "$(sqlite3 kartoteka.db "EXPLAIN QUERY PLAN SELECT t.id FROM person t WHERE substr(t.birth_date, 6, 5) = '01-07'")" \
  "kt_md_person_birth_date" "the anniversary is read through the month-day index"

# a wrong declaration names itself, and fails only that campaign
cat >>kartoteka.lua <<'LUA'
campaign "bad_field" { entity = "person", action = function() end,
  audience = { anniversary = "first_name" } }
campaign "bad_key" { entity = "person", action = function() end,
  audience = { anniversary = "birth_date", days_ahed = 7 } }
campaign "bad_days" { entity = "person", action = function() end,
  audience = { inactive_since = "last_order" } }
LUA
expect 65 campaign run bad_field --dry-run
contains "$ERR" "person.first_name is not a date" "a text field is refused"
expect 65 campaign run bad_key --dry-run
contains "$ERR" 'did you mean "days_ahead"' "a misspelt key is named"
expect 65 campaign run bad_days --dry-run
contains "$ERR" "inactive_since needs days" "inactivity needs its days"
expect 0 campaign run sql_today --as-of 2027-01-01 --dry-run
finish
