#!/usr/bin/env bash
# SMS is a channel of its own: a plain-text .sms file per message (not mail), the number in
# E.164 as the record's phone field reads it, an activity of kind sms, consent checked on the
# number; and the sms_http gateway (Twilio's form shape) against a fake loopback gateway, its
# password from the environment and never in the outbox. The gateway part needs python3.
source "$(dirname "$0")/lib.sh"

new_ws sms --example pet-shop
cat >>kartoteka.lua <<'LUA'
campaign "hello" {
  entity = "person",
  action = function(r, day)
    kt.send { channel = "sms", to = "600-100-200", text = "Hello {{name}}", data = { name = r.first_name } }
    local ok, why = kt.send { channel = "sms", to = r.work_phone, text = "Hello" }
    if not ok then kt.task { title = "no sms: " .. why, person = r.id } end
  end,
}
LUA
# the birthday offer goes by SMS to a client without e-mail; the number typed nationally
expect 0 add person first_name=Ola last_name=Lis mobile="600 100 200" work_phone="0048 600 100 201" \
  pets=dog expected_gifts="squeaky bone" birth_date=1990-03-08 marketing_consent=yes
expect 0 add person first_name=Jan last_name=Nie mobile=+48600100201 \
  pets=cat expected_gifts=ball birth_date=1991-03-08 marketing_consent=no
expect 0 campaign run birthday --as-of 2027-03-01 --json
equals "$(jqget "$OUT" '.[0].messages[0].channel')" "sms" "the offer goes by sms"
equals "$(jqget "$OUT" '.[0].messages[0].to')" "+48600100200" "to the number in E.164"
expect 0 outbox deliver --json
equals "$(jqget "$OUT" '.sent')" "1" "delivered to the folder"
[ -f outbox/1.sms ] && pass || fail "an SMS is written as outbox/1.sms: $(ls outbox)"
[ ! -e outbox/1.eml ] && pass || fail "an SMS is not written as mail"
SMS=$(cat outbox/1.sms)
contains "$SMS" "To: +48600100200" "the file names the number"
contains "$SMS" "squeaky bone" "the text"
lacks "$SMS" "MIME-Version" "plain text, not mail headers"
lacks "$SMS" "Subject:" "an SMS has no subject"
expect 0 list activity --where "class=campaign" --json
equals "$(jqget "$OUT" '.[0].kind')" "sms" "the activity is an sms, not a mailing"
equals "$(jqget "$OUT" '.[0].status')" "done" "done once delivered"

# consent: the number of a client who said no is refused whatever its spelling
expect 0 campaign run hello --json
equals "$(jqget "$OUT" '.[0].messages[0].to')" "+48600100200" \
  "a dashed national number normalised"
equals "$(jqget "$OUT" '.[0].skipped_consent[0].to')" "+48600100201" \
  "another client's number, 0048-spelt, is refused: that client said no"
equals "$(jqget "$OUT" '.[0].skipped_consent[0].person')" "2" "naming who said no"
expect 0 outbox list --json
equals "$(jqget "$OUT" '[.[] | select(.recipient == "+48600100201")] | length')" "0" \
  "nothing queued for the client who said no"

# a number that is not one fails the record's action, naming it
cat >>kartoteka.lua <<'LUA'
campaign "bad" { entity = "person", marketing = false,
  action = function(r, day) kt.send { channel = "sms", to = "call me maybe", text = "x" } end }
LUA
expect 65 campaign run bad
contains "$ERR" "call me maybe" "the bad number is named"

if ! command -v python3 >/dev/null; then echo "gateway part skipped: no python3"; finish; exit; fi
start_fake fake_sms_gateway.py "$TMP/gw.log"

new_ws gw --example pet-shop
cat >>kartoteka.lua <<LUA
settings { sms_channel = "sms_http", sms_http_url = "http://127.0.0.1:$PORT/2010-04-01/Accounts/AC1/Messages.json",
           sms_http_from = "PetShop", sms_http_user = "AC1", sms_http_password_env = "KT_TEST_SMS_TOKEN" }
LUA
expect 0 add person first_name=Ola last_name=Lis mobile="600 100 200" pets=dog \
  expected_gifts="squeaky bone" birth_date=1990-03-08 marketing_consent=yes
expect 0 campaign run birthday --as-of 2027-03-01
KT_TEST_SMS_TOKEN=t0ken-s3cret expect 0 outbox deliver --json
equals "$(jqget "$OUT" '.sent')" "1" "sent through the gateway"
LOG=$(cat "$TMP/gw.log")
equals "$(jqget "$LOG" '.path')" "/2010-04-01/Accounts/AC1/Messages.json" "posted to the URL"
equals "$(jqget "$LOG" '.fields.To')" "+48600100200" "To in E.164"
equals "$(jqget "$LOG" '.fields.From')" "PetShop" "From"
contains "$(jqget "$LOG" '.fields.Body')" "squeaky bone" "Body"
equals "$(jqget "$LOG" '.content_type')" "application/x-www-form-urlencoded" "a form"
equals "$(jqget "$LOG" '.authorization')" "Basic $(printf 'AC1:t0ken-s3cret' | base64)" \
  "basic auth with the token from the environment"
expect 0 outbox list --json
lacks "$OUT" "t0ken-s3cret" "the token is not in the outbox"
[ ! -d outbox ] && pass || fail "nothing written to the folder"

# the gateway refuses: failed with its status and reason, retried later
cat >>kartoteka.lua <<'LUA'
campaign "refused" { entity = "person", marketing = false,
  action = function(r, day) kt.send { channel = "sms", to = r.mobile, text = "REFUSE me" } end }
LUA
expect 0 campaign run refused
KT_TEST_SMS_TOKEN=t0ken-s3cret expect 74 outbox deliver
expect 0 outbox list --status failed --json
contains "$(jqget "$OUT" '.[0].last_error')" "HTTP 400" "the status is named"
contains "$(jqget "$OUT" '.[0].last_error')" "is not valid" "with the gateway's reason"
# no token: failed without a request
expect 74 outbox retry
expect 0 outbox list --status failed --json
contains "$(jqget "$OUT" '.[0].last_error')" "KT_TEST_SMS_TOKEN is not set" "the missing token is named"
# a password over plain http to another machine is refused
sed -i "s|http://127.0.0.1:$PORT|http://sms.example.com|" kartoteka.lua
KT_TEST_SMS_TOKEN=t0ken-s3cret expect 74 outbox retry
expect 0 outbox list --status failed --json
contains "$(jqget "$OUT" '.[0].last_error')" "https://" "plain http off this machine is refused"
finish
