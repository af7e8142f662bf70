"""A real HTTP server on a loopback address that records every connection and request it receives.

SSRF tests point refused URLs at it and assert that nothing arrived: a refusal that still connected would
show up here, whatever the fetcher claims. Routes answer with a fixed status, headers and body.
"""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, routes: dict, handler):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.routes = routes
        self.connections: list[str] = []
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, headers)
        super().__init__((host, 0), handler)

    def verify_request(self, request, client_address):
        self.connections.append(client_address[0])
        return True


class _Handler(BaseHTTPRequestHandler):
    def _answer(self):
        server: _Server = self.server
        server.requests.append((self.command, self.path, dict(self.headers)))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, headers, body = server.routes.get(self.path, (200, {"Content-Type": "application/json"}, b"{}"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args):
        pass


class Listener:
    """`with Listener() as listener:` serves on 127.0.0.1 (or "::1") on a free port. `handler` replaces the
    fixed-route answers (tests/webhooks/receiver.py verifies signatures)."""

    def __init__(self, host: str = "127.0.0.1", routes: dict | None = None, handler=None):
        self.server = _Server(host, routes if routes is not None else {}, handler or _Handler)
        self.host = host
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def routes(self) -> dict:
        return self.server.routes

    @property
    def requests(self) -> list:
        return self.server.requests

    @property
    def connections(self) -> list:
        return self.server.connections

    @property
    def paths(self) -> list[str]:
        return [path for _method, path, _headers in self.server.requests]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)
