#!/usr/bin/env bash
# kt find's order (issue 22): the first N records are ranked inside the full-text index and only
# they are looked up, yet the answer is the one the whole order gives — active records before
# archived ones, each by rank then id, merged records left out — also when many records tie on
# rank, when archived or merged records crowd the best ranks, and at every limit.
. "$(dirname "$0")/lib.sh"

new_ws crowd
# 150 people, most alike ("Anna Nowak" with one to three extra words), so ranks tie in groups;
# made by one script, so the test costs one process rather than 150
cat > people.lua <<'LUA'
for i = 1, 150 do
  local notes = ({ [0] = nil, [1] = "vip", [2] = "vip gold client" })[i % 3]
  local id, failures = kt.save { entity = "person", first_name = "Anna", allow_duplicate = true,
                                 last_name = i % 5 == 0 and "Nowakowska" or "Nowak", notes = notes }
  assert(id, failures and failures[1] and failures[1].message)
end
LUA
expect 0 run people.lua
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person")" 150 "150 people made"
# the best-ranked records archived (the short bodies rank first) and some merged
ARCHIVE=$(sqlite3 kartoteka.db "SELECT group_concat(rowid, ', ') FROM (SELECT rowid FROM kt_search
  WHERE kt_search MATCH '\"anna\"*' ORDER BY rank, rowid LIMIT 40)")
cat > archive.lua <<LUA
for _, id in ipairs({ $ARCHIVE }) do assert(kt.archive(id)) end
LUA
expect 0 run archive.lua
expect 0 merge 43 46 49
expect 0 merge 52 55

# the whole order, as the one statement over every match gives it
whole() { # whole MATCH LIMIT
  sqlite3 kartoteka.db "SELECT s.rowid FROM kt_search s JOIN kt_record r ON r.id = s.rowid
    WHERE kt_search MATCH '$1' AND r.state <> 'merged'
    ORDER BY r.state = 'archived', s.rank, r.id LIMIT $2" | paste -sd,
}
for q in anna nowak nowakowska "anna nowak" an; do
  m=$(for w in $q; do printf '"%s"* ' "$w"; done)
  for limit in 1 10 30 110 200; do
    expect 0 find "$q" --limit "$limit" --json
    equals "$(jqget "$OUT" '[.[].id] | join(",")')" "$(whole "${m% }" "$limit")" "find '$q' --limit $limit"
  done
done
expect 0 find anna --limit 500 --json
equals "$(jqget "$OUT" '[.[] | select(.state == "archived")] | length')" 40 "archived records come too, after the active ones"
equals "$(jqget "$OUT" '[.[].state] | unique | join(",")')" "active,archived" "no merged record"

# a search whose words have one or two letters ranks only its first 500 matches by id (the
# oldest records): ranking every match of "a" costs bm25 over most of a big workspace
cat > more.lua <<'LUA'
for i = 1, 400 do
  assert(kt.save { entity = "person", first_name = "Ala", last_name = "Kot", allow_duplicate = true })
end
-- a newer record that would rank first for "a" (its text is short) among all the matches
assert(kt.save { entity = "person", first_name = "A", last_name = "Ab", allow_duplicate = true })
LUA
expect 0 run more.lua
LATE=$(sqlite3 kartoteka.db "SELECT max(id) FROM person")
capped() { # capped MATCH LIMIT: the whole order over the first 500 matches
  sqlite3 kartoteka.db "SELECT s.rowid FROM (SELECT rowid, rank FROM kt_search WHERE kt_search
    MATCH '$1' LIMIT 500) s JOIN kt_record r ON r.id = s.rowid WHERE r.state <> 'merged'
    ORDER BY r.state = 'archived', s.rank, r.id LIMIT $2" | paste -sd,
}
equals "$(sqlite3 kartoteka.db "SELECT rowid FROM kt_search WHERE kt_search MATCH '\"a\"*'
  ORDER BY rank, rowid LIMIT 1")" "$LATE" "ranked over every match, the newest record would come first"
for q in a ab "a k"; do
  m=$(for w in $q; do printf '"%s"* ' "$w"; done)
  for limit in 1 10 200; do
    expect 0 find "$q" --limit "$limit" --json
    equals "$(jqget "$OUT" '[.[].id] | join(",")')" "$(capped "${m% }" "$limit")" "find '$q' --limit $limit: its first 500 matches ranked"
  done
done
expect 0 find a --limit 50 --json
lacks ",$(jqget "$OUT" '[.[].id] | join(",")')," ",$LATE," "a record past the first 500 matches of 'a'"
expect 0 find ab --limit 50 --json
contains ",$(jqget "$OUT" '[.[].id] | join(",")')," ",$LATE," "'ab' matches fewer than 500: all ranked"
# three letters: every match ranked
expect 0 find ala --limit 5 --json
equals "$(jqget "$OUT" '[.[].id] | join(",")')" "$(whole '"ala"*' 5)" "find 'ala' ranks every match"

finish
