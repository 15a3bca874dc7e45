#!/usr/bin/env python3
"""A fake SMS gateway for the sms_http channel's test, shaped like Twilio's Messages API: a POST
of form fields To, From, Body with HTTP Basic auth. Writes the port it listens on to argv[1]
and one JSON line per request (path, authorization, fields) to argv[2]. A Body containing
"REFUSE" is answered 400 with a JSON error, as gateways do; anything else 201. Serves until
killed."""
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer


class Gateway(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode("utf-8")
        fields = {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
        entry = {"path": self.path, "authorization": self.headers.get("Authorization", ""),
                 "content_type": self.headers.get("Content-Type", ""), "fields": fields}
        with open(sys.argv[2], "a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")
        if "REFUSE" in fields.get("Body", ""):
            status, answer = 400, {"code": 21211, "message": "The 'To' number is not valid."}
        else:
            status, answer = 201, {"sid": "SM%032d" % length, "status": "queued"}
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Gateway)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
