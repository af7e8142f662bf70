"""A webhook receiver as an integrator would write one: a real HTTP server on 127.0.0.1 (a thread) that
checks every request with the `standardwebhooks` library and records what it accepted. Its answers can be
scripted (e.g. 500, 500, then 200); a request whose signature does not verify gets 400 and is recorded as
rejected."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, secret, statuses):
        self.secret = secret
        self.statuses = list(statuses)
        self.connections: list[str] = []
        self.received: list[dict] = []  # verified: {"payload", "headers"}
        self.rejected: list[str] = []  # why a request did not verify
        super().__init__(("127.0.0.1", 0), _Handler)

    def verify_request(self, request, client_address):
        self.connections.append(client_address[0])
        return True


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        server: _Server = self.server
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


class Receiver:
    """`with Receiver(statuses=[500, 500]) as receiver:`; set `receiver.secret` once the subscription exists."""

    def __init__(self, secret: str = "", statuses=()):
        self.server = _Server(secret, statuses)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

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

    @property
    def connections(self):
        return self.server.connections

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)
