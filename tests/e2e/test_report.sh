#!/usr/bin/env bash
# Reports (issue 8): kt report list / NAME, the shipped analyses on a small known data set,
# the four formats, read-only runs, workspace reports overriding shipped ones.
. "$(dirname "$0")/lib.sh"

new_ws shop --example pet-shop

person() { # person EXT SOURCE: prints the id (the clients look alike on purpose)
  "$KT" add person first_name=Client last_name="$1" pets=none expected_gifts=- \
    email="$(echo "$1" | tr 'A-Z' 'a-z')@example.com" external_id="$1" ${2:+source="$2"} --allow-duplicate
}
sale() { "$KT" add sale customer="$1" date="$2" amount="$3" >/dev/null; }

# --- four customers: 70 %, 15 %, 10 %, 5 % of revenue -> A, A, B, C
P1=$(person K1 radio); P2=$(person K2 website); P3=$(person K3 website); P4=$(person K4)
[[ "$P4" =~ ^[0-9]+$ ]] && pass || fail "customers made: '$P1' '$P2' '$P3' '$P4'"
for m in 01 02 03 04 05 06 07 08 09 10; do sale "$P1" 2024-$m-15 7.00; done   # steady: X
sale "$P2" 2024-01-10 10.00; sale "$P2" 2024-06-10 5.00                       # lumpy: Z
for m in 01 02 03 04 05 06 07 08 09 10; do sale "$P3" 2024-$m-02 1.00; done   # steady: X
sale "$P4" 2024-10-31 4.99; sale "$P4" 2024-10-31 0.01

expect 0 report list
for r in funnel abc xyz abcxyz channels completeness activity attribution; do contains "$OUT" "$r" "report list names $r"; done
expect 0 report list --json
equals "$(jqget "$OUT" '[.[].name] | join(",")')" "abc,abcxyz,activity,attribution,channels,completeness,funnel,xyz" "list --json"
equals "$(jqget "$OUT" '.[] | select(.name == "channels") | .params')" "--days 30 --from --to" "params listed"

expect 0 report abc --format json
equals "$(jqget "$OUT" '[.[].class] | join("")')" "AABC" "ABC classes by cumulative share before"
equals "$(jqget "$OUT" '.[0].id')" "$P1" "ranked by revenue, id as a string"
equals "$(jqget "$OUT" '.[0].revenue')" "70" "revenue a JSON number"
contains "$OUT" '"revenue": 70.00,' "revenue printed with its two decimals"
contains "$OUT" '"revenue": 5.00,' "0.01 + 4.99 summed exactly"
equals "$(jqget "$OUT" '.[1].share')" "0.15" "share of the total"
expect 0 report abc --from 2024-06 --to 2024-06 --format json
equals "$(jqget "$OUT" '[.[] | .external_id + .class] | join(",")')" "K1A,K2A,K3B" "period limits the sales"

expect 0 report xyz --format json
equals "$(jqget "$OUT" '[.[] | .external_id + .class] | join(",")')" "K1X,K2Z,K3X,K4Z" "XYZ classes"
equals "$(jqget "$OUT" ".[0].cv")" "0" "a steady customer's CV is 0"
# K2 over 2024-01..2024-10: 10 and 5 in two months of ten: mean 1.5, variance 12.5 - 2.25
equals "$(jqget "$OUT" '.[1].cv * 10000 | floor')" "21343" "CV = population sd / mean"
expect 0 report xyz --from 2024-01 --to 2024-02 --format json
equals "$(jqget "$OUT" '[.[] | .external_id + .class] | join(",")')" "K1X,K2Z,K3X" "months from --from to --to"

expect 0 report abcxyz --format json
equals "$(jqget "$OUT" '[.[] | select(.customers > 0) | .pair + (.customers|tostring)] | join(",")')" "AX1,AZ1,BX1,CZ1" "the 3x3 matrix"
equals "$(jqget "$OUT" 'length')" "9" "all nine pairs"
expect 0 report abcxyz --by customer --format json
equals "$(jqget "$OUT" '[.[].pair] | join(",")')" "AX,AZ,BX,CZ" "each customer's pair"

# --- the funnel: six stages in pipeline order, 0 when none, amounts exact
"$KT" add deal title=a stage=new amount=0.10 >/dev/null
"$KT" add deal title=b stage=new amount=0.20 >/dev/null
"$KT" add deal title=c stage=won amount=1000000.01 >/dev/null
expect 0 report funnel --format json
equals "$(jqget "$OUT" '[.[].stage] | join(",")')" "new,qualified,proposal,negotiation,won,lost" "pipeline order"
equals "$(jqget "$OUT" '[.[].count] | join(",")')" "2,0,0,0,1,0" "counts"
contains "$OUT" '{"stage": "new", "count": 2, "amount": 0.30}' "0.10 + 0.20 is 0.30 exactly"
contains "$OUT" '"amount": 1000000.01}' "cents kept on large amounts"
expect 0 report funnel
contains "$OUT" "Sales funnel" "table title"
contains "$OUT" "1000000.01" "table amount"
expect 0 report funnel --format csv
contains "$OUT" $'stage,count,amount\r\nnew,2,0.30\r\n' "CSV with CRLF"

# --- SVG: valid XML, every stage label, escaped text
expect 0 report funnel --format svg --out "$TMP/funnel.svg"
equals "$(stat -c %a "$TMP/funnel.svg")" 600 "--out file readable by its owner only"
for s in new qualified proposal negotiation won lost; do
  grep -q ">$s</tspan>" "$TMP/funnel.svg" && pass || fail "SVG shows stage $s"
done
wellformed() {
  if command -v xmllint >/dev/null; then xmllint --noout "$1"
  else python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$1"; fi
}
wellformed "$TMP/funnel.svg" && pass || fail "funnel SVG is well-formed XML"
expect 0 report abcxyz --out "$TMP/m.svg"
wellformed "$TMP/m.svg" && pass || fail "bar chart SVG is well-formed XML (format from --out)"
expect 65 report completeness --format svg
contains "$ERR" "draws no chart" "SVG of a report without a chart"

# --- workspace reports: override a shipped one, CSV neutralising, hostile text
mkdir -p reports
cat > reports/funnel.lua <<'LUA'
return { title = "Our funnel", run = function() return { { stage = "mine", n = 1 } } end }
LUA
cat > reports/hostile.lua <<'LUA'
return {
  title = "Hostile <cells> & \"quotes\"",
  params = { n = 2, who = "x", flag = true },
  columns = { "label", "value" },
  run = function(p)
    return {
      { label = "=HYPERLINK(\"http://evil\")", value = p.n },
      { label = "+1+1", value = -3 }, { label = "@SUM(A1)", value = 0 },
      { label = "-2+3", value = 1.5 }, { label = "\tTab", value = 2 }, { label = "\rCR", value = 2 },
      { label = "<b>&amp;</b> " .. p.who, value = p.flag and 1 or 0 },
    }, { kind = "bar", label = "label", value = "value" }
  end,
}
LUA
expect 0 report list --json
equals "$(jqget "$OUT" '.[] | select(.name == "funnel") | .source')" "workspace" "workspace report overrides the shipped one"
expect 0 report funnel --format json
equals "$(jqget "$OUT" '.[0].stage')" "mine" "workspace funnel runs"
rm reports/funnel.lua
expect 0 report hostile --format csv
contains "$OUT" "\"'=HYPERLINK(\"\"http://evil\"\")\",2" "= neutralised"
contains "$OUT" "'+1+1,-3" "+ neutralised, negative number left alone"
contains "$OUT" "'@SUM(A1)" "@ neutralised"
contains "$OUT" "'-2+3" "- formula neutralised"
contains "$OUT" "'"$'\t'"Tab" "tab neutralised"
expect 0 report hostile --format csv --raw
contains "$OUT" '"=HYPERLINK(""http://evil"")",2' "--raw leaves cells as they are"
expect 0 report hostile --format svg --n 5 --who '<script>' --flag no
wellformed <(printf '%s' "$OUT") && pass || fail "hostile SVG is well-formed"
contains "$OUT" "&lt;script&gt;" "text escaped in SVG"
lacks "$OUT" "<script>" "no raw markup in SVG"
expect 0 report hostile --format json --n=7
equals "$(jqget "$OUT" '.[0].value')" "7" "--n=7 converted to the default's type"
equals "$(jqget "$OUT" '.[0].label')" '=HYPERLINK("http://evil")' "JSON keeps cells as they are"
expect 64 report hostile --n seven
contains "$ERR" "takes a number" "parameter type checked"
expect 64 report hostile --nope 1
contains "$ERR" "--flag true --n 2 --who x" "unknown parameter lists the known ones"
expect 66 report nosuch
expect 64 report ../etc/passwd
expect 64 report funnel --format pdf

# --- a report that tries to write fails cleanly, whatever it does with the error
before=$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record; SELECT count(*) FROM kt_change')
cat > reports/writer.lua <<'LUA'
return { title = "Writer", run = function()
  local ok = pcall(kt.save, { entity = "company", name = "Sneaky" })
  return { { ok = ok } }
end }
LUA
cat > reports/pragma.lua <<'LUA'
return { title = "Pragma", run = function()
  pcall(kt.query, "PRAGMA query_only = OFF")
  return { { ok = kt.save { entity = "company", name = "Sneaky" } } }
end }
LUA
cat > reports/archiver.lua <<'LUA'
return { title = "Archiver", run = function()
  kt.archive(kt.list("person")[1].id)
  return {}
end }
LUA
for r in writer pragma archiver; do
  expect 65 report $r
  contains "$ERR" "reports are read-only" "$r: clear message"
  contains "$ERR" "nothing was written" "$r: says nothing was written"
done
equals "$(sqlite3 kartoteka.db 'SELECT count(*) FROM kt_record; SELECT count(*) FROM kt_change')" "$before" "nothing written"
expect 0 add company name=Afterwards
[[ "$OUT" =~ ^[0-9]+$ ]] && pass || fail "the workspace writes again after a report"

# --- channels: revenue after a campaign e-mail within --days
"$KT" add activity kind=email class=campaign person="$P2" at=2024-01-01T09:00:00 >/dev/null
"$KT" add activity kind=call class=campaign person="$P1" at=2024-01-14T09:00:00 >/dev/null
expect 0 report channels --format json
equals "$(jqget "$OUT" '.[] | select(.source == "website") | [.clients, .buyers, .revenue, .after_campaign] | map(tostring) | join(" ")')" "2 2 25 10" "website: clients, buyers, revenue, after a campaign"
equals "$(jqget "$OUT" '.[] | select(.source == "radio") | .after_campaign')" "0" "a call is not a campaign message"
equals "$(jqget "$OUT" '.[] | select(.source == "(none)") | .clients')" "1" "clients without a source"
expect 0 report channels --days 5 --format json
equals "$(jqget "$OUT" '.[] | select(.source == "website") | .after_campaign')" "0" "--days narrows the window"
# every message channel is credited, not only e-mail: an SMS 5 days before K3's March sale
A1=$("$KT" add activity kind=sms class=campaign person="$P3" at=2024-02-26T09:00:00 outcome=spring:2024)
expect 0 report channels --format json
equals "$(jqget "$OUT" '.[] | select(.source == "website") | .after_campaign')" "11" "an SMS offer is credited"

# --- attribution: per campaign and channel, sales within --days after a message
A2=$("$KT" add activity kind=email class=campaign person="$P1" at=2024-05-01T09:00:00 outcome=spring:2024)
A3=$("$KT" add activity kind=email class=campaign person="$P3" at=2024-02-27T09:00:00 outcome=spring:2024)
expect 0 report attribution --format json
equals "$(jqget "$OUT" '[.[] | .campaign + "/" + .channel] | join(",")')" \
  "(by hand)/email,spring/email,spring/sms,spring/(all)" "a row per campaign and channel, and the campaign's total"
equals "$(jqget "$OUT" '.[] | select(.campaign == "spring" and .channel == "email") | [.messages, .recipients, .buyers, .revenue_after] | map(tostring) | join(" ")')" \
  "2 2 2 8" "spring by e-mail: K1's May sale and K3's March one"
equals "$(jqget "$OUT" '.[] | select(.channel == "sms") | [.buyers, .revenue_after, .sales_share] | map(tostring) | join(" ")')" \
  "1 1 0.01" "spring by SMS: its share of all sales"
equals "$(jqget "$OUT" '.[] | select(.channel == "(all)") | [.messages, .recipients, .revenue_after] | map(tostring) | join(" ")')" \
  "3 2 8" "a sale after two messages counts once for the campaign"
expect 0 report attribution --campaign spring --days 4 --format json
equals "$(jqget "$OUT" '[.[] | .channel + " " + (.revenue_after|tostring)] | join(",")')" \
  "email 1,sms 0,(all) 1" "--days 4: K3's sale is 4 days after the e-mail, 5 after the SMS"
for a in $A1 $A2 $A3; do expect 0 archive "$a"; done   # the activity report below counts the others

# --- completeness: the figures of kt check
expect 0 report completeness --entity person --format json
equals "$(jqget "$OUT" '.[] | select(.field == "source") | .filled')" "3" "filled count"
equals "$(jqget "$OUT" '.[] | select(.field == "source") | .share')" "0.75" "share of active records"
run check person --json
equals "$(jqget "$OUT" '.entities[0].fields[] | select(.field == "source") | .share')" "0.75" "same as kt check"

# --- activity per month, class and kind
expect 0 report activity --format json
equals "$(jqget "$OUT" '[.[] | .month + " " + .class + " " + .kind + " " + (.count|tostring)] | join(",")')" "2024-01 campaign call 1,2024-01 campaign email 1" "activity rows"

finish
