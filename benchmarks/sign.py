"""Benchmark: sign N distinct Open Badges 3.0 credentials in one process.

    .venv/bin/python benchmarks/sign.py               # 1,000 credentials
    .venv/bin/python benchmarks/sign.py -n 5000 --out /tmp/signed.json

Prints credentials signed per second, time per credential and the share of
that time spent canonicalising (URDNA2015 through pyld, including the
undefined-term check).  The first signature (which loads and processes the
JSON-LD contexts) is reported separately and not counted.  With --out, the
signed credentials are written as a JSON array that
``node tests/tools/dcc/verify.mjs FILE`` can check.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

import base58

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from credentials.openbadges import _jsonld, keys, ob3, proof, proof_verify  # noqa: E402
from credentials.openbadges.status_list import random_free_index, status_entry  # noqa: E402

BASE = "https://laurel.example.org"


def build(issuer_did: str, n: int, used: set[int]) -> dict:
    index = random_free_index(used)
    used.add(index)
    return ob3.build_credential(
        id=f"{BASE}/credentials/{n:08d}-7d2e-4c1b-9f3a-1b2c3d4e5f60",
        issuer=ob3.profile(
            issuer_did, "International Training Centre of the ILO", url="https://www.itcilo.org",
            email="badges@itcilo.org", image_url=f"{BASE}/media/issuer.png",
        ),
        achievement=ob3.achievement(
            f"{BASE}/achievements/{n % 40}", f"Course {n % 40}", "Plan, run and evaluate projects.",
            criteria_narrative="Pass the final assessment.", achievement_type="Certificate",
            image_url=f"{BASE}/media/achievements/{n % 40}.png", tags=["training"],
        ),
        valid_from="2024-05-01T09:00:00Z",
        name=f"Course {n % 40}",
        recipient_email=f"learner{n}@example.org",
        evidence=[ob3.evidence(name="Final project", narrative=f"Project number {n}.")],
        credential_status=status_entry(f"{BASE}/status/1", index),
    )  # fmt: skip


def plain_sign(credential: dict, sk, vm: str, created: str) -> str:
    """The textbook algorithm with pyld's public API only (reference for speed and correctness)."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": created,
        "verificationMethod": vm,
        "proofPurpose": "assertionMethod",
    }
    problems = proof.check_all_terms_defined(credential)
    assert not problems, problems
    config = {**options, "@context": credential["@context"]}
    digest = hashlib.sha256(_jsonld.reference_nquads(config).encode()).digest()
    digest += hashlib.sha256(_jsonld.reference_nquads(credential).encode()).digest()
    return "z" + base58.b58encode(sk.sign(digest)).decode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="credentials to sign (default 1000)")
    parser.add_argument("--out", help="write the signed credentials (JSON array) to this file")
    parser.add_argument(
        "--baseline",
        type=int,
        default=100,
        metavar="K",
        help="also sign the first K credentials the plain way (pyld normalize, no caches) and check "
        "that the proofs are byte-identical (default 100; 0 to skip)",
    )
    args = parser.parse_args()

    sk = keys.generate_private_key()
    pub = keys.public_key_bytes(sk)
    did, vm = keys.did_key_from_public_key(pub), keys.did_key_verification_method(pub)
    used: set[int] = set()
    credentials = [build(did, n, used) for n in range(args.n + 1)]

    # measure canonicalisation by wrapping the one function that does it
    canon_seconds = 0.0
    real = _jsonld.checked_nquads

    def timed(document, loader=None):
        nonlocal canon_seconds
        t0 = time.perf_counter()
        try:
            return real(document, loader)
        finally:
            canon_seconds += time.perf_counter() - t0

    _jsonld.checked_nquads = timed  # proof.py calls it through the module attribute
    signer = proof.CredentialSigner(sk, vm)

    t0 = time.perf_counter()
    first = signer.sign(credentials[0])
    cold = time.perf_counter() - t0
    canon_seconds = 0.0

    per: list[float] = []
    signed = []
    t_start = time.perf_counter()
    for credential in credentials[1:]:
        t = time.perf_counter()
        signed.append(signer.sign(credential))
        per.append(time.perf_counter() - t)
    total = time.perf_counter() - t_start
    _jsonld.checked_nquads = real

    assert proof_verify.verify_credential(first).ok
    assert all(proof_verify.verify_credential(s).ok for s in signed[:: max(1, args.n // 20)])
    created = {s["proof"][0]["created"] for s in signed}

    n = len(signed)
    print(f"signed {n} distinct OB 3.0 credentials (eddsa-rdfc-2022, did:key) in {total:.3f} s")
    print(f"  rate:             {n / total:.0f} credentials/s")
    print(f"  per credential:   mean {total / n * 1000:.2f} ms, median {statistics.median(per) * 1000:.2f} ms, "
          f"p95 {sorted(per)[int(n * 0.95) - 1] * 1000:.2f} ms")  # fmt: skip
    print(f"  canonicalisation: {canon_seconds / total * 100:.0f}% of the time "
          f"({canon_seconds / n * 1000:.2f} ms per credential, incl. undefined-term check)")  # fmt: skip
    print(f"  first signature (loads contexts): {cold * 1000:.1f} ms; distinct `created` values: {len(created)}")
    if args.baseline:
        k = min(args.baseline, n)
        t = time.perf_counter()
        for credential, fast in zip(credentials[1 : k + 1], signed[:k], strict=True):
            plain = plain_sign(credential, sk, vm, fast["proof"][0]["created"])
            assert plain == fast["proof"][0]["proofValue"], "fast path and plain pyld disagree"
        plain_rate = k / (time.perf_counter() - t)
        print(f"  baseline:         plain pyld normalize for both hashes: {plain_rate:.0f} credentials/s "
              f"({k} proofs byte-identical to the fast path)")  # fmt: skip
    if args.out:
        Path(args.out).write_text(json.dumps([first, *signed]))
        print(f"  wrote {n + 1} signed credentials to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
