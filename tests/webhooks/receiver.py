"""A webhook receiver as an integrator would write one: a real HTTP server on 127.0.0.1 (a thread) that
checks every request with the `standardwebhooks` library and records what it accepted. Its answers can be
scripted (e.g. 500, 500, then 200); a request whose signature does not verify gets 400 and is recorded as
rejected."""

from http.server import BaseHTTPRequestHandler

from standardwebhooks import Webhook

from tests.support.listener import Listener


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            payload = Webhook(server.secret).verify(body, headers)
        except Exception as exc:  # WebhookVerificationError, or no secret yet
            server.rejected.append(str(exc))
            status = 400
        else:
            server.received.append({"payload": payload, "headers": headers})
            status = server.statuses.pop(0) if server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class Receiver(Listener):
    """`with Receiver(statuses=[500, 500]) as receiver:`; set `receiver.secret` once the subscription exists.
    The SSRF tests' listener (connections recorded, a thread serving 127.0.0.1) with a verifying handler."""

    def __init__(self, secret: str = "", statuses=()):
        super().__init__(handler=_Handler)
        self.server.secret = secret
        self.server.statuses = list(statuses)
        self.server.received = []  # verified: {"payload", "headers"}
        self.server.rejected = []  # why a request did not verify

    def url(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.port}/hooks/laurel"

    @property
    def secret(self):
        return self.server.secret

    @secret.setter
    def secret(self, value):
        self.server.secret = value

    @property
    def received(self):
        return self.server.received

    @property
    def rejected(self):
        return self.server.rejected
