#!/usr/bin/env bash
# kt serve over HTTPS (issue 18): --tls-cert and --tls-key serve the same API with TLS; a plain
# HTTP request to it gets no reply; a half TLS configuration is a usage error.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
command -v openssl >/dev/null || { echo "openssl missing: skipped"; exit 0; }

new_ws tls
TOKEN=$("$KT" token add tls --role staff)
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
  -days 2 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
chmod 600 "$TMP/key.pem"

expect 64 serve --tls-cert "$TMP/cert.pem"
contains "$ERR" "--tls-key" "names what is missing"
expect 66 serve --listen 127.0.0.1:0 --tls-cert "$TMP/nothing.pem" --tls-key "$TMP/key.pem"

start_serve https --threads 2 --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"

CODE=$(curl -s --cacert "$TMP/cert.pem" -o "$TMP/body" -w '%{http_code}' -X POST \
  -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$PORT/api/v1/person" \
  -d '{"first_name":"Tls","last_name":"Client"}')
equals "$CODE" 201 "a create over HTTPS"
equals "$(jq -r .last_name "$TMP/body")" "Client" "the record over HTTPS"
CODE=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/api/v1/person" || true)
equals "$CODE" 000 "plain HTTP gets no reply"
kill -TERM $PID
wait $PID && pass || fail "the HTTPS server did not stop cleanly"
equals "$(sqlite3 kartoteka.db "SELECT count(*) FROM person WHERE last_name = 'Client'")" 1 "stored"

finish
