#!/usr/bin/env bash
# The core's layers (issue 17), enforced on what the build made: every function a layer's objects
# call and the core defines is defined in that layer or in one below it (core/CMakeLists.txt
# writes the table: layer, the layers below it, its object files). Upward includes do not
# compile (each layer sees only its own and lower layers' headers); this catches upward calls
# made through public headers, which every layer sees. Between folders, no call runs in a circle.
. "$(dirname "$0")/lib.sh"

table=$(dirname "$KT")/layers.txt
[ -s "$table" ] || { fail "no layer table at $table"; finish; }

# symbols TABLE: "layer folder D|U symbol" for every global definition and undefined reference
# (nm once over all objects: one run per object costs minutes on a busy machine).
symbols() {
  local objs
  objs=$(cut -d'|' -f3- "$1" | tr '|' '\n')
  # shellcheck disable=SC2086 # one object path a word
  { nm -A --defined-only -g $objs | awk '{print $1, "D", $NF}'
    nm -A -u $objs | awk '{print $1, "U", $NF}'; } | awk -v table="$1" '
    BEGIN { while ((getline line < table) > 0) {
              n = split(line, p, "|"); for (i = 3; i <= n; i++) layer[p[i] ":"] = p[1] } }
    { obj = $1; sub(/[^:]*$/, "", obj); f = obj; sub(/\/[^\/]*$/, "", f); sub(/.*\//, "", f)
      if ($2 == "D" && NF < 3) next
      print layer[obj], f, $2, $3 }'
}
# upward TABLE SYMBOLS: "layer -> defining layer: symbol" for each call a layer may not make.
upward() {
  awk -v table="$1" '
    BEGIN { FS = " "; while ((getline line < table) > 0) {
              split(line, p, "|"); n = split(p[2], b, " ")
              for (i = 1; i <= n; i++) below[p[1], b[i]] = 1 } }
    $3 == "D" { def[$4] = $1; next }
    { use[++nu] = $1 " " $4 }
    END { for (i = 1; i <= nu; i++) {
            split(use[i], u, " "); d = def[u[2]]
            if (d != "" && d != u[1] && d != "schema" && !below[u[1], d])
              print u[1] " -> " d ": " u[2] } }' "$2" | sort -u
}

# circles SYMBOLS: the pairs of folders that call each other, directly or round a longer circle.
circles() {
  awk '
    $3 == "D" { def[$4] = $2; next }
    { use[++nu] = $2 " " $4 }
    END { for (i = 1; i <= nu; i++) {
            split(use[i], u, " "); d = def[u[2]]
            if (d != "" && d != u[1]) edge[u[1], d] = 1; node[u[1]] = 1; node[d] = 1 }
          for (a in node) for (b in node) if ((a, b) in edge) reach[a, b] = 1
          for (k in node) for (a in node) if ((a, k) in reach)
            for (b in node) if ((k, b) in reach) reach[a, b] = 1
          for (a in node) for (b in node)
            if (a < b && (a, b) in reach && (b, a) in reach) print a " <-> " b }' "$1" | sort
}

symbols "$table" >"$TMP/symbols"
up=$(upward "$table" "$TMP/symbols")
equals "$up" "" "calls from a layer up into a higher one"
round=$(circles "$TMP/symbols")
equals "$round" "" "folders that call each other (a circle)"

# The check bites: with `record` said to sit on nothing, its calls into the store are upward.
awk -F'|' -v OFS='|' '$1 == "record" { $2 = "" } { print }' "$table" >"$TMP/lowered.txt"
case "$(upward "$TMP/lowered.txt" "$TMP/symbols")" in
  *"record -> store: "*) pass ;;
  *) fail "the check missed record's calls into the store once record sat on nothing" ;;
esac

finish
