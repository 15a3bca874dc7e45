#!/usr/bin/env python3
"""A fake SMTP server for the smtp channel's test: plain text, AUTH PLAIN/LOGIN accepted and
recorded. Writes the port it listens on to argv[1], then every session (commands and data) to
argv[2]. Serves until killed."""
import socket
import sys


def serve(conn, log):
    f = conn.makefile("rb")
    def send(line):
        conn.sendall((line + "\r\n").encode())
    send("220 fake ESMTP")
    while True:
        raw = f.readline()
        if not raw:
            return
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        log.write("C: " + line + "\n")
        verb = line.split(" ")[0].upper()
        if verb in ("EHLO", "HELO"):
            conn.sendall(b"250-fake\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n")
        elif verb == "AUTH":
            parts = line.split(" ")
            mech = parts[1].upper() if len(parts) > 1 else ""
            steps = 0
            if mech == "PLAIN" and len(parts) == 2:
                steps = 1
            elif mech == "LOGIN":
                steps = 2 - (len(parts) > 2)
            for _ in range(steps):
                send("334 ")
                log.write("C: " + f.readline().decode().rstrip("\r\n") + "\n")
            send("235 ok")
        elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
            send("250 ok")
        elif verb == "DATA":
            send("354 go")
            while True:
                d = f.readline().decode("utf-8", "replace")
                if d in (".\r\n", ".\n", ""):
                    break
                log.write("D: " + d.rstrip("\r\n") + "\n")
            log.flush()
            send("250 queued")
        elif verb == "QUIT":
            send("221 bye")
            return
        else:
            send("502 no")
        log.flush()


def main():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(5)
    with open(sys.argv[1], "w") as p:
        p.write(str(s.getsockname()[1]))
    with open(sys.argv[2], "a") as log:
        while True:
            conn, _ = s.accept()
            try:
                serve(conn, log)
            finally:
                conn.close()


main()
