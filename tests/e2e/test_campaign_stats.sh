#!/usr/bin/env bash
# kt campaign stats NAME: the share of sales within --days after the campaign's messages, per
# channel (e-mail and SMS alike); kt campaign ledger NAME: what acted, for whom, under which key.
source "$(dirname "$0")/lib.sh"

new_ws stats --example pet-shop
expect 0 add person first_name=Ola last_name=Lis mobile="600 100 200" pets=dog \
  expected_gifts=bone birth_date=1990-03-08 marketing_consent=yes
OLA=$OUT
expect 0 add person first_name=Jan last_name=Kot email=jan@example.com pets=cat \
  expected_gifts=ball birth_date=1990-03-08 marketing_consent=yes
JAN=$OUT
expect 0 add person first_name=Ewa last_name=Zima email=ewa@example.com pets=cat \
  expected_gifts=ball birth_date=1990-07-08 marketing_consent=yes
EWA=$OUT
expect 0 campaign run birthday --as-of 2027-03-01
expect 0 outbox deliver
# sales: Ola 10.00 and Jan 5.00 after the offer (today), Ewa got none, an old sale of Jan's
TODAY=$(date -u +%Y-%m-%d)
expect 0 add sale customer="$OLA" date="$TODAY" amount=10.00
expect 0 add sale customer="$JAN" date="$TODAY" amount=5.00
expect 0 add sale customer="$EWA" date="$TODAY" amount=60.00
expect 0 add sale customer="$JAN" date=2020-01-01 amount=25.00

expect 0 campaign stats birthday --json
equals "$(jqget "$OUT" '[.[] | .channel] | join(",")')" "email,sms,(all)" "per channel, then the campaign"
equals "$(jqget "$OUT" '.[] | select(.channel == "sms") | [.messages, .buyers, .revenue_after, .sales_share] | map(tostring) | join(" ")')" \
  "1 1 10 0.1" "SMS: Ola's sale, a tenth of all sales"
equals "$(jqget "$OUT" '.[] | select(.channel == "email") | [.messages, .buyers, .revenue_after, .sales_share] | map(tostring) | join(" ")')" \
  "1 1 5 0.05" "e-mail: Jan's sale after the offer, not his old one"
equals "$(jqget "$OUT" '.[] | select(.channel == "(all)") | .sales_share')" "0.15" "the campaign's share"
expect 0 campaign stats birthday
contains "$OUT" "revenue_after" "a table"
contains "$OUT" "sms" "naming the channels"
expect 0 campaign stats birthday --from 2021-01 --json
equals "$(jqget "$OUT" '.[] | select(.channel == "(all)") | .sales_share')" "0.2" "--from narrows the sales"
expect 66 campaign stats birthdy
contains "$ERR" 'no campaign "birthdy"' "a misspelt campaign is refused"

expect 0 campaign ledger birthday --json
equals "$(jqget "$OUT" 'length')" "2" "one ledger row per client reached"
equals "$(jqget "$OUT" '[.[] | .record] | sort | join(",")')" "$(printf '%s\n' "$OLA" "$JAN" | sort | paste -sd,)" "the records"
equals "$(jqget "$OUT" '[.[] | .key] | unique | join(",")')" "birthday-2027" "their key"
equals "$(jqget "$OUT" '.[0].day')" "2027-03-01" "the run's day"
[[ "$(jqget "$OUT" '.[0].run')" =~ ^[0-9]+$ ]] && pass || fail "the run's id: $OUT"
expect 0 campaign ledger birthday
contains "$OUT" "birthday-2027" "the ledger as a table"
expect 66 campaign ledger nope
# a campaign removed from kartoteka.lua keeps its ledger readable
sed -i 's/^campaign "birthday"/campaign "birthday_v2"/' kartoteka.lua
expect 0 campaign ledger birthday --json
equals "$(jqget "$OUT" 'length')" "2" "the ledger of a removed campaign"
expect 0 campaign ledger birthday_v2
contains "$OUT" "has not acted" "a declared campaign with an empty ledger"
finish
