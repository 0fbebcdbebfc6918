"""A minimal SMTP server for tests, on a free local port: it speaks just enough RFC 5321 for
Django's SMTP backend (smtplib), offers no extensions at all (no 8BITMIME, no SMTPUTF8), and
keeps each message's bytes as received. A message that reaches it intact has crossed a
server that only promises 7-bit transport.

With `refuse_recipients=True` it refuses every recipient with 550, as a server does for an
address it does not know.
"""

import socketserver
import threading


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in {b"EHLO", b"HELO"}:
                self.reply("250 sink")
            elif verb == b"MAIL":
                # Without 8BITMIME offered, a client must not ask for an 8-bit body.
                if b"BODY=8BITMIME" in line.upper():
                    self.reply("555 BODY=8BITMIME not offered")
                else:
                    self.reply("250 OK")
            elif verb == b"RCPT" and self.server.refuse_recipients:
                self.reply("550 5.1.1 Mailbox unknown")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) != b".\r\n":
                    if not data:
                        return
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.messages.append(b"".join(lines))
                self.reply("250 OK")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:  # RCPT, RSET, NOOP
                self.reply("250 OK")


class SmtpSink(socketserver.ThreadingTCPServer):
    """`with SmtpSink() as sink:` serves on `sink.port` and keeps `sink.messages`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, refuse_recipients=False):
        super().__init__(("127.0.0.1", 0), _Session)
        self.refuse_recipients = refuse_recipients
        self.messages = []
        self.port = self.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        self.server_close()
