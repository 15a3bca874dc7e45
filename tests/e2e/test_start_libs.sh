#!/usr/bin/env bash
# kt starts without libcurl (and the TLS, Kerberos, LDAP and SSH libraries it brings) or the
# XLSX reader's libzip and expat: those are the net and xlsx plugins', loaded only when a
# message goes through smtp or sms_http, or an .xlsx file is read. A workspace whose settings
# name smtp still reads records without loading them.
source "$(dirname "$0")/lib.sh"
NEEDED=$(ldd "$KT")
for lib in libcurl libzip libexpat libssh2 libldap libkrb5; do
  lacks "$NEEDED" "$lib" "kt does not link $lib"
done
new_ws mail
cat >>kartoteka.lua <<'LUA'
settings { email_channel = "smtp", smtp_url = "smtp://127.0.0.1:9", smtp_from = "shop@example.com",
           smtp_tls = "none", sms_channel = "sms_http", sms_http_url = "http://127.0.0.1:9/",
           sms_http_from = "Shop" }
LUA
expect 0 add person first_name=Ola last_name=Lis email=ola@example.com
LOADED=$(LD_DEBUG=libs "$KT" get "$OUT" 2>&1 >/dev/null | grep -F 'calling init' || true)
lacks "$LOADED" "libcurl" "kt get loads no libcurl"
lacks "$LOADED" "net.so" "nor the net plugin"
expect 0 plugin list --json
lacks "$OUT" '"net"' "the net plugin is not loaded to open the workspace"
# a message through smtp loads it (the server is not there: the message fails and waits)
cat >>kartoteka.lua <<'LUA'
campaign "hello" { entity = "person", marketing = false,
  action = function(r, day) kt.send { channel = "email", to = r.email, text = "hi" } end }
LUA
expect 0 campaign run hello
LOADED=$(LD_DEBUG=libs "$KT" outbox deliver 2>&1 >/dev/null | grep -F 'calling init' || true)
contains "$LOADED" "net.so" "delivery through smtp loads the net plugin"
contains "$LOADED" "libcurl" "and libcurl with it"
expect 0 outbox list --status failed --json
contains "$(jqget "$OUT" '.[0].last_error')" "smtp://127.0.0.1:9" "the smtp channel ran"
finish
