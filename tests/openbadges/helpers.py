"""Helpers for the standards library tests: keys, a realistic credential, a local http server."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credentials.openbadges import keys, ob3
from credentials.openbadges.status_list import status_entry

BASE = "https://laurel.example.org"


@dataclass
class IssuerKey:
    private_key: Ed25519PrivateKey
    public_key: bytes
    did: str
    verification_method: str


def new_issuer_key() -> IssuerKey:
    sk = keys.generate_private_key()
    pub = keys.public_key_bytes(sk)
    return IssuerKey(sk, pub, keys.did_key_from_public_key(pub), keys.did_key_verification_method(pub))


def make_credential(issuer_did: str, n: int = 1, *, status: dict | None = None, **overrides) -> dict:
    """A realistic OB 3.0 credential for learner number n (every signed field filled)."""
    issuer = ob3.profile(
        issuer_did,
        "International Training Centre of the ILO",
        url="https://www.itcilo.org",
        email="badges@itcilo.org",
        description="Training centre of the International Labour Organization, Turin.",
        image_url=f"{BASE}/media/issuers/itcilo.png",
    )
    achievement = ob3.achievement(
        f"{BASE}/achievements/pm-{n % 7}",
        "Project Management for Development",
        "Plan, run and evaluate development cooperation projects.",
        criteria_narrative="Pass the **final assessment** (70%) and submit the project plan.",
        criteria_url=f"{BASE}/achievements/pm-{n % 7}/criteria",
        achievement_type="Certificate",
        image_url=f"{BASE}/media/achievements/pm.png",
        image_caption="Project Management badge",
        tags=["project management", "development"],
    )
    credential = ob3.build_credential(
        id=f"{BASE}/credentials/3f1c2a9e-{n:04d}-4b7e-9c1d-5e8f7a6b{n:04d}",
        issuer=issuer,
        achievement=achievement,
        valid_from="2024-05-01T09:00:00Z",
        valid_until="2099-05-01T09:00:00Z",
        name="Project Management for Development",
        description="Certificate of achievement, 2024 edition.",
        recipient_email=f"Learner{n}@Example.org",
        salt=f"salt-{n}",
        evidence=[
            ob3.evidence(
                id=f"{BASE}/evidence/{n}",
                name="Final project plan",
                narrative="A project plan for a vocational training programme.",
                genre="Project",
            )
        ],
        credential_status=status or status_entry(f"{BASE}/status/1", 1000 + n),
    )
    credential.update(overrides)
    return credential


class StaticServer:
    def __init__(self):
        self.documents: dict[str, bytes] = {}
        docs = self.documents

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                body = docs.get(self.path.split("?", 1)[0])
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/vc+ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def put(self, path: str, document: dict) -> None:
        self.documents[path] = json.dumps(document).encode()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
