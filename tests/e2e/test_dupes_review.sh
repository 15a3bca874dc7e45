#!/usr/bin/env bash
# Active learning (issue 20): kt dupes review shows the pairs nearest 0.5 with their explanation
# and stores y/n answers as labels; kt dupes label sets one; labelled pairs are not proposed
# again; a "same" pair is reported by kt dupes whatever it scores, a "distinct" one never (the
# same thing --not stores); kt dupes train takes labels as certain and kt dupes model counts
# them; kt add of a sparse look-alike queues the pair.
source "$(dirname "$0")/lib.sh"

new_ws review
expect 0 add person first_name=Anna last_name=Kowalska birth_date=1980-01-02 email=anna@x.pl
A1=$OUT
expect 0 add --allow-duplicate person first_name=Anna last_name=Kowalska birth_date=1980-01-02 email=anna.k@y.pl
A2=$OUT
expect 0 add --allow-duplicate person first_name=Anne last_name=Kowalsky birth_date=1980-02-01
A3=$OUT
expect 0 add person first_name=Jan last_name=Nowak birth_date=1975-05-05 email=jan@n.pl
J1=$OUT
expect 0 add --allow-duplicate person first_name=Jan last_name=Nowak birth_date=1976-05-05
J2=$OUT
expect 0 add person first_name=Piotr last_name=Zielinski birth_date=1990-01-01 email=p@z.pl
P=$OUT

# --- the non-interactive list: nearest 0.5 first, with the explanation ---
expect 0 dupes review person --json
equals "$(jqget "$OUT" 'length')" "4" "every compared pair of the look-alikes"
equals "$(jqget "$OUT" '.[0].ids | join(" ")')" "$A1 $A2" "the pair nearest 0.5 first (0.667)"
equals "$(jqget "$OUT" '.[0].probability')" "0.667" "with its probability"
equals "$(jqget "$OUT" '.[0].fields[] | select(.field == "email") | .a')" "anna@x.pl" \
  "and the explanation: the two values per field"
equals "$(jqget "$OUT" '[.[] | .probability | (. - 0.5) | fabs] | . == sort')" "true" \
  "ordered by distance from 0.5"
expect 0 dupes review person --json --limit 2
equals "$(jqget "$OUT" 'length')" "2" "--limit caps the list"
expect 64 dupes review person --limit 0
expect 64 dupes review

# --- answers from a pipe: y, an unknown answer asked again, n, then end of input ---
run dupes review person <<<$'y\nmaybe\nn'
equals "$RC" "0" "review reads its answers from a pipe"
contains "$OUT" "pair 1 of 4" "pairs one at a time"
contains "$OUT" "$A1 ~ $A2: 0.667" "with the explanation --explain prints"
contains "$OUT" "birth_date       date     1.000" "field by field"
contains "$OUT" "answer y, n, s or q" "an unknown answer is asked again"
contains "$ERR" "1 labelled the same, 1 distinct, 0 skipped of 4 person pairs" "the summary"
# labelled pairs are not proposed again
expect 0 dupes review person --json
equals "$(jqget "$OUT" '[.[] | .ids | join(" ")] | join(",")')" "$A2 $A3,$J1 $J2" \
  "the two answered pairs are gone"
# n is what --not stores: the pair is distinct for kt dupes too
expect 0 dupes person --explain "$A1" "$A3"
contains "$OUT" "(declared distinct)" "a review's n is --not's decision"
# y: reported whatever the score, with its reason
expect 0 dupes person
contains "$OUT" "0.667  $A1 $A2  (labelled: the same, whatever the score)" "a same pair reported"
expect 0 dupes person --json
equals "$(jqget "$OUT" '.[] | select(.reason == "labelled") | .ids | join(" ")')" "$A1 $A2" \
  "reason labelled in JSON"

# --- kt dupes label: same, distinct, clear ---
expect 0 dupes label person "$J1" "$P" same
contains "$OUT" "are the same" "label same"
expect 0 dupes person
contains "$OUT" "$J1 $P  (labelled" "a same label beats a score far below the threshold"
expect 0 dupes label person "$P" "$J1" distinct
expect 0 dupes person
lacks "$OUT" "$J1 $P" "one label a pair: distinct replaces same"
expect 0 dupes person --explain "$J1" "$P"
contains "$OUT" "(declared distinct)" "label distinct is --not's decision"
expect 0 dupes label person "$J1" "$P" clear
expect 0 dupes person --explain "$J1" "$P"
lacks "$OUT" "declared distinct" "clear removes it"
expect 64 dupes label person "$J1" "$P" maybe
expect 64 dupes label person "$J1" "$J1" same
expect 64 dupes label company "$J1" "$P" same
# --not and label distinct are one code path: --not then clear leaves nothing
expect 0 dupes --not "$J1" "$P"
expect 0 dupes label person "$J1" "$P" clear
expect 0 dupes person --explain "$J1" "$P"
lacks "$OUT" "declared distinct" "clear removes a --not decision"

# --- answers q and s ---
run dupes review person <<<$'s\nq'
contains "$ERR" "0 labelled the same, 0 distinct, 1 skipped" "skip, then quit"

# --- training counts the labels it took as certain ---
expect 0 dupes train person --json
equals "$(jqget "$OUT" '.labels.same')" "1" "the same pair trained on"
equals "$(jqget "$OUT" '.labels.distinct')" "1" "the distinct pair (a candidate) trained on"
expect 0 dupes model person
contains "$OUT" "labels used: 2 (1 same, 1 distinct" "kt dupes model says how many labels"
expect 0 dupes model person --json
equals "$(jqget "$OUT" '.labels.same')" "1" "and in JSON"
expect 0 dupes review person --json
equals "$(jqget "$OUT" '.[0].trained')" "true" "after training the probabilities are the model's"

# --- kt add of a sparse look-alike: created and queued ---
new_ws sparse
expect 0 add person first_name=Julia last_name=Smith birth_date=1980-01-01
J1=$OUT
expect 0 add --allow-duplicate person first_name=Julia last_name=Smith birth_date=1975-05-05
expect 0 add person first_name=Julia last_name=Smith
J3=$OUT
expect 0 dupes review person --json
equals "$(jqget "$OUT" ".[] | select(.ids == [\"$J1\", \"$J3\"]) | .queued")" "true" \
  "the sparse record is queued with the record it resembles"
expect 0 dupes label person "$J1" "$J3" distinct
expect 0 dupes review person --json
equals "$(jqget "$OUT" ".[] | select(.ids == [\"$J1\", \"$J3\"]) | .ids | length")" "" \
  "a labelled queued pair is not proposed again"

finish
