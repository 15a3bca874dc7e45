#!/usr/bin/env bash
# The sales rollup (issue 22): kt_sale_month, per customer and month, always equals what the
# active sale lines say, whatever changes them (add, set, archive, restore, merge, unmerge, an
# import and its undo); kt check --rebuild makes it again; the ABC/XYZ reports read it and give
# what they give from the lines.
. "$(dirname "$0")/lib.sh"

new_ws shop --example pet-shop

person() {
  "$KT" add person first_name=Client last_name="$1" pets=none expected_gifts=- \
    email="$(echo "$1" | tr 'A-Z' 'a-z')@example.com" external_id="$1" --allow-duplicate
}
sale() { "$KT" add sale customer="$1" date="$2" amount="$3"; }
rollup() { echo " $(sqlite3 kartoteka.db "SELECT customer, month, amount, lines FROM kt_sale_month ORDER BY 1, 2" | paste -sd' ')"; }
lines() {
  printf ' '; sqlite3 kartoteka.db "SELECT s.customer, substr(s.date, 1, 7), sum(s.amount), count(*) FROM sale s
    JOIN kt_record r ON r.id = s.id AND r.state = 'active'
    WHERE s.customer IS NOT NULL AND s.date IS NOT NULL AND s.amount IS NOT NULL
    GROUP BY 1, 2 ORDER BY 1, 2" | paste -sd' '
}
agree() { equals "$(rollup)" "$(lines)" "$1"; }
built() { sqlite3 kartoteka.db "SELECT built FROM kt_rollup WHERE name = 'sale_month'"; }

equals "$(built)" 1 "a new workspace's rollup is built (no sales yet)"
P1=$(person R1); P2=$(person R2); P3=$(person R3)
S1=$(sale "$P1" 2024-01-15 10.00); S2=$(sale "$P1" 2024-01-20 2.50); S3=$(sale "$P2" 2024-02-01 7.00)
S4=$(sale "$P3" 2024-03-03 1.00)
equals "$(rollup)" " $P1|2024-01|1250|2 $P2|2024-02|700|1 $P3|2024-03|100|1" "adds counted per customer-month"
agree "after adds"

expect 0 set "$S2" amount=3.75;              agree "amount changed"
expect 0 set "$S1" date=2024-02-10;          agree "date moved to another month"
expect 0 set "$S3" customer="$P3";           agree "customer changed"
contains "$(rollup)" " $P1|2024-01|375|1" "the old month keeps the line left in it"
lacks "$(rollup)" " $P2|" "a customer without lines has no rows"
expect 0 archive "$S4";                      agree "archived line counted out"
expect 0 restore "$S4";                      agree "restored line counted in"
expect 0 archive "$S4";                      agree "archived again"
expect 0 set "$S4" amount=5.00;              agree "an archived line's change leaves the rollup alone"

# a merge repoints the loser's sales at the winner; unmerge gives them back
sale "$P2" 2024-04-04 4.00 >/dev/null
expect 0 merge "$P1" "$P2";                  agree "after a merge of customers"
lacks "$(rollup)" " $P2|" "the loser's sales now count for the winner"
expect 0 unmerge "$P2";                      agree "after the unmerge"
# two sales merged: the loser line stops counting
S5=$(sale "$P3" 2024-05-05 1.00); S6=$(sale "$P3" 2024-05-05 1.00)
expect 0 merge "$S5" "$S6";                  agree "after a merge of two sale lines"
contains "$(rollup)" " $P3|2024-05|100|1" "the merged line is out"

# an import of sales and its undo
printf 'external_id,date,amount\nR1,2024-06-01,1.10\nR2,2024-06-02,2.20\nR1,2024-07-03,3.30\n' > sales.csv
cat > sales.lua <<'LUA'
return { entity = "sale", read = { format = "csv" }, on_match = "create", map = function(row)
  return {
    { entity = "person", ref = "customer", external_id = row.external_id, first_name = "Client",
      last_name = row.external_id, pets = { "none" }, expected_gifts = "-",
      email = row.external_id:lower() .. "@example.com", match = { "external_id" },
      on_match = "skip" },
    { entity = "sale", customer = { ref = "customer" }, date = row.date, amount = row.amount },
  }
end }
LUA
expect 0 import sales.csv --script sales.lua
agree "after an import"
contains "$(rollup)" "|2024-07|330|1" "imported lines counted"
BATCH=$(sqlite3 kartoteka.db "SELECT max(id) FROM kt_batch")
expect 0 import undo "$BATCH";              agree "after the import's undo"
lacks "$(rollup)" "|2024-07|" "undone lines counted out"

# the reports give the same from the rollup as from the lines
for args in "abc" "xyz" "abcxyz" "abcxyz --by customer" "abc --from 2024-02 --to 2024-03" \
            "xyz --from 2024-01 --to 2024-06" "abc --from 2024-01-16"; do
  expect 0 report $args --format json; with_rollup=$OUT
  sqlite3 kartoteka.db "UPDATE kt_rollup SET built = 0"
  expect 0 report $args --format json
  equals "$with_rollup" "$OUT" "report $args: rollup and lines agree"
  sqlite3 kartoteka.db "UPDATE kt_rollup SET built = 1"
done
[ "$(jqget "$with_rollup" 'length')" -gt 0 ] && pass || fail "the reports compared have rows"

# a rollup out of step is made again; unbuilt, the reports read the lines
sqlite3 kartoteka.db "DELETE FROM kt_sale_month WHERE customer = $P1; UPDATE kt_rollup SET built = 0"
expect 0 report abc --format json; from_lines=$OUT
expect 0 check --rebuild
contains "$OUT" "sales rollup rebuilt:" "check --rebuild says so"
agree "after check --rebuild"
equals "$(built)" 1 "rebuilt rollup marked built"
expect 0 report abc --format json
equals "$OUT" "$from_lines" "rebuilt rollup answers as the lines did"
expect 0 check --rebuild --json
equals "$(jqget "$OUT" '.rollup_rows')" "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_sale_month')" "--json counts the rows"

# a workspace migrated with sales already in it gets an unbuilt rollup
sqlite3 kartoteka.db "DROP TABLE kt_sale_month; DROP TABLE kt_rollup; PRAGMA user_version = 16"
expect 0 list sale --count
equals "$(built)" 0 "migration with sales present leaves it unbuilt"
expect 0 check --rebuild
agree "and check --rebuild fills it"

finish
