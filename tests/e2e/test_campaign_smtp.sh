#!/usr/bin/env bash
# The smtp channel against a fake local server: the message arrives with its gifts, the login
# uses the password from an environment variable or a 0600 file, and that password never
# reaches the outbox, history or kt's output. Skipped without python3.
source "$(dirname "$0")/lib.sh"
if ! command -v python3 >/dev/null; then echo "skipped: no python3"; exit 0; fi
start_fake fake_smtp.py "$TMP/smtp.log"

new_ws smtp --example pet-shop
cat >>kartoteka.lua <<LUA
settings { email_channel = "smtp", smtp_url = "smtp://127.0.0.1:$PORT", smtp_from = "shop@example.com",
           smtp_tls = "none", smtp_user = "shop", smtp_password_env = "KT_TEST_SMTP_PASSWORD" }
LUA
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com pets=dog \
  expected_gifts="squeaky bone" birth_date=1990-03-08 marketing_consent=yes
expect 0 campaign run birthday --as-of 2027-03-01
KT_TEST_SMTP_PASSWORD=pa55-w0rd expect 0 outbox deliver --json
equals "$(jqget "$OUT" '.sent')" "1" "sent through smtp"
LOG=$(cat "$TMP/smtp.log")
contains "$LOG" "MAIL FROM:<shop@example.com>" "envelope sender"
contains "$LOG" "RCPT TO:<ola@example.com>" "recipient"
contains "$LOG" "D: X-Kartoteka-Outbox-Id: 1" "outbox id header"
contains "$LOG" "squeaky bone" "the gifts arrive"
contains "$LOG" "AUTH" "logged in"
# AUTH PLAIN carries base64("\0shop\0pa55-w0rd")
contains "$LOG" "$(printf '\0shop\0pa55-w0rd' | base64)" "with the password from the environment"
expect 0 outbox list --json
lacks "$OUT" "pa55-w0rd" "password not in the outbox"
expect 0 history 1
lacks "$OUT" "pa55-w0rd" "password not in history"

# a password file must be the owner's alone
sed -i 's/smtp_password_env = "KT_TEST_SMTP_PASSWORD"/smtp_password_file = "smtp.secret"/' kartoteka.lua
printf 'fi1e-pass\n' >smtp.secret
chmod 644 smtp.secret
expect 0 add person first_name=Jan last_name=Nowak email=jan@example.com pets=cat \
  expected_gifts=ball birth_date=1991-03-08 marketing_consent=yes
expect 0 campaign run birthday --as-of 2027-03-01
expect 74 outbox deliver
expect 0 outbox list --status failed --json
contains "$(jqget "$OUT" '.[0].last_error')" "0600" "a readable password file is refused"
chmod 600 smtp.secret
KT_NOW=2099-01-01T00:00:00 expect 0 outbox deliver --json
equals "$(jqget "$OUT" '.sent')" "1" "sent once the file is 0600"
contains "$(cat "$TMP/smtp.log")" "$(printf '\0shop\0fi1e-pass' | base64)" "with the file's password"
lacks "$(cat "$TMP/smtp.log")" "fi1e-pass" "never in clear in the session"

# an unreachable server: failed, retried later, visible
sed -i "s/127.0.0.1:$PORT/127.0.0.1:9/" kartoteka.lua
expect 0 add person first_name=Ewa last_name=Zima email=ewa@example.com pets=cat \
  expected_gifts=ball birth_date=1992-03-08 marketing_consent=yes
expect 0 campaign run birthday --as-of 2027-03-01
expect 74 outbox deliver
expect 0 outbox list --status failed --json
equals "$(jqget "$OUT" 'length')" "1" "the failed message is listed"
finish
