#!/usr/bin/env bash
# Peak memory of `kt import` reading XLSX: a persons.csv-shaped workbook (csv_to_xlsx.py) and a
# 0.7 MB workbook whose shared strings unpack to 480 MB (the shape that once took ~480 MB of
# memory; the reader now keeps at most 8 MB of them in memory). Usage: xlsx_memory.sh [KT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
KT=${1:-$here/../../build/core/kt}
TMP=$(mktemp -d /tmp/kt-bench-xlsx.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
python3 "$here/gen_persons.py" 12000 > persons.csv
python3 "$here/csv_to_xlsx.py" persons.csv persons.xlsx
python3 - <<'PY'
import zipfile
n = 60000
sst = '<sst>' + ''.join('<si><t>%05d%s</t></si>' % (i, 'a' * 8000) for i in range(n)) + '</sst>'
sheet = ('<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>notes</t></is></c></row>' +
         ''.join('<row r="%d"><c t="s"><v>%d</v></c></row>' % (r + 2, r * 997 % n)
                 for r in range(2000)) + '</sheetData></worksheet>')
with zipfile.ZipFile('strings.xlsx', 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr('xl/workbook.xml', '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" '
               'r:id="rId1"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" '
               'Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr('xl/sharedStrings.xml', sst)
    z.writestr('xl/worksheets/sheet1.xml', sheet)
PY
"$KT" init ws >/dev/null
cat > ws/kartoteka.lua <<'LUA'
plugin "xlsx"
LUA
cat > ws/persons.lua <<'LUA'
return { entity = "person", read = { format = "xlsx" }, on_match = "create",
  map = function(r) return { first_name = r.first_name, last_name = r.last_name, notes = r.notes } end }
LUA
cat > ws/strings.lua <<'LUA'
return { entity = "person", read = { format = "xlsx" }, on_match = "create",
  map = function(r) return { first_name = "A", last_name = "B", notes = r.notes } end }
LUA
for f in persons strings; do
  ( cd ws && /usr/bin/time -v "$KT" import "../$f.xlsx" --script "$f.lua" --no-dedupe --dry-run \
      > "../$f.out" 2> "../$f.time" ) || { cat "$f.time"; exit 1; }
  printf '%-9s %6s KB xlsx  peak RSS %7s KB  %s\n' "$f" "$(($(stat -c %s "$f.xlsx") / 1024))" \
    "$(awk -F': ' '/Maximum resident/ {print $2}' "$f.time")" "$(tail -n1 "$f.out")"
done
