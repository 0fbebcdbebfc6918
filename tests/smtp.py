"""A real SMTP server on a free local port that refuses every recipient, as a server does for
an address it does not know: enough of the protocol for Django's SMTP backend."""

import socketserver
import threading
from contextlib import contextmanager

REPLIES = {
    "EHLO": "250 refusing.test",
    "HELO": "250 refusing.test",
    "MAIL": "250 2.1.0 OK",
    "RCPT": "550 5.1.1 Mailbox unknown",
    "RSET": "250 2.0.0 OK",
    "NOOP": "250 2.0.0 OK",
}


class _RefusingHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 refusing.test ESMTP\r\n")
        for line in self.rfile:
            verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
            if verb == "QUIT":
                self.wfile.write(b"221 2.0.0 Bye\r\n")
                return
            self.wfile.write(REPLIES.get(verb, "502 5.5.1 Not implemented").encode() + b"\r\n")


@contextmanager
def refusing_smtp_server():
    """Yields the port of a server that refuses every recipient with 550."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _RefusingHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
