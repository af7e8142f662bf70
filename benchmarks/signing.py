"""Benchmark: µs per signature and per verification, with and without the canonicalisation fast paths, in one run.

    .venv/bin/python benchmarks/signing.py              # 500 varied credentials, 5 rounds
    .venv/bin/python benchmarks/signing.py -n 1000 -r 3

Each round signs and then verifies every credential twice, once per path, the two paths alternating by block
so that the machine's load falls on both alike:

- **before**: ``_jsonld.FAST_PATHS = False`` and the previous base58 encoder and did:key check: pyld's
  expansion, to_rdf and URDNA2015 with only the processed-context cache (the code before issue 13's
  signing work);
- **after**: the expansion memo (terms, and objects repeated between credentials), the direct canonical form
  (``_rdfc``) and the cheaper base58 and did:key check.

Prints the median and p95 CPU time (``time.process_time``, this process only) of one call, the ratio, and
checks that both paths give the same proof for every credential.  The credentials differ as an issuing day's
do: 40 achievements in four languages, names with accents, quotes, newlines and other scripts, one to three
pieces of evidence, some with an expiry, a DID subject or an ECTS credit value.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import base58

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from credentials.openbadges import _jsonld, keys, ob3, proof, proof_verify  # noqa: E402
from credentials.openbadges.status_list import status_entry  # noqa: E402

BASE = "https://laurel.example.org"
NAMES = ["Zoë O'Brien", 'Ana "Nena" Pérez', "Мария Иванова", "محمد علي", "李小龙", "Ngozi\nAdichie", "Jo\\hn"]
LANGS = ["en", "fr", "es", "ar"]


def build(issuer_did: str, n: int, rng: random.Random) -> dict:
    a = n % 40
    extra = {"humanCode": f"course-{a}", "inLanguage": LANGS[a % 4]}
    if a % 3 == 0:
        extra["creditsAvailable"] = 2 + a % 5
    evidence = [
        ob3.evidence(
            name=f"Piece {i}", narrative=f"Evidence {i} of learner {n}.", id=f"{BASE}/e/{n}/{i}" if i else None
        )
        for i in range(rng.randint(1, 3))
    ]
    return ob3.build_credential(
        id=f"{BASE}/c/{n:08d}-7d2e-4c1b-9f3a",
        issuer=ob3.profile(
            issuer_did, "International Training Centre of the ILO", url="https://www.itcilo.org",
            email="badges@itcilo.org", image_url=f"{BASE}/media/issuer.png",
        ),
        achievement=ob3.achievement(
            f"{BASE}/achievements/{a}", f"Course {a} «Projets»", "Plan, run and evaluate projects.\nTwo lines.",
            criteria_narrative="Pass the **final** assessment (70%).", achievement_type="Certificate",
            image_url=f"{BASE}/media/achievements/{a}.png", image_caption=f"Course {a}", tags=["training"],
            alignment=[{"type": ["Alignment"], "targetName": f"EQF level {a % 8 + 1}",
                        "targetUrl": f"http://data.europa.eu/snb/eqf/{a % 8 + 1}", "targetCode": str(a % 8 + 1)}],
            extra=extra,
        ),
        valid_from="2024-05-01T09:00:00Z",
        valid_until="2029-05-01T09:00:00Z" if n % 4 == 0 else None,
        name=f"Course {a} «Projets»",
        recipient_email=f"learner{n}@example.org",
        salt=f"{n:016x}",
        identifiers=[ob3.name_identity_object(f"{rng.choice(NAMES)} {n}")],
        subject_id="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" if n % 10 == 0 else None,
        evidence=evidence,
        credential_status=status_entry(f"{BASE}/status/{n % 3}", rng.randrange(131072)),
        extra={"awardedDate": "2024-05-01T09:00:00Z"},
    )  # fmt: skip


def _old_base58(data: bytes) -> str:
    return base58.b58encode(data).decode("ascii")


def set_path(fast: bool) -> None:
    _jsonld.FAST_PATHS = fast
    proof.b58encode = keys.b58encode if fast else _old_base58
    proof._did_key_method = _CACHED_METHOD if fast else keys.did_key_verification_method


_CACHED_METHOD = proof._did_key_method


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="credentials (default 500)")
    parser.add_argument("-r", "--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--block", type=int, default=50, help="credentials per block before switching path")
    args = parser.parse_args()

    rng = random.Random(13)
    sk = keys.generate_private_key()
    pub = keys.public_key_bytes(sk)
    did, vm = keys.did_key_from_public_key(pub), keys.did_key_verification_method(pub)
    credentials = [build(did, n, rng) for n in range(args.n)]
    signer = proof.CredentialSigner(sk, vm)
    created = "2026-12-02T10:00:00Z"
    for fast in (False, True):  # warm up: contexts processed, caches filled as in a running worker
        set_path(fast)
        proof_verify.verify_credential(signer.sign(credentials[0], created=created))

    times: dict[tuple[str, bool], list[float]] = {(op, fast): [] for op in ("sign", "verify") for fast in (False, True)}
    proofs: dict[bool, list[str]] = {False: [], True: []}
    t_start = time.perf_counter()
    for rnd in range(args.rounds):
        for start in range(0, args.n, args.block):
            block = credentials[start : start + args.block]
            order = (False, True) if (start // args.block + rnd) % 2 == 0 else (True, False)
            for fast in order:
                set_path(fast)
                signed = []
                for credential in block:
                    t = time.process_time()
                    signed.append(signer.sign(credential, created=created))
                    times["sign", fast].append(time.process_time() - t)
                for document in signed:
                    t = time.process_time()
                    result = proof_verify.verify_credential(document)
                    times["verify", fast].append(time.process_time() - t)
                    assert result.ok, result.errors
                if rnd == 0:
                    proofs[fast].extend(s["proof"][0]["proofValue"] for s in signed)
    wall = time.perf_counter() - t_start
    set_path(True)
    assert proofs[False] == proofs[True], "the two paths gave different proofs"

    print(f"{args.n} varied OB 3.0 credentials, {args.rounds} rounds, eddsa-rdfc-2022 with did:key ({wall:.1f} s)")
    print(f"proofs byte-identical on both paths: {len(proofs[True])} of {len(proofs[True])}")
    for op in ("sign", "verify"):
        before = sorted(times[op, False])
        after = sorted(times[op, True])
        b_med, a_med = statistics.median(before) * 1e6, statistics.median(after) * 1e6
        b_p95, a_p95 = before[int(len(before) * 0.95)] * 1e6, after[int(len(after) * 0.95)] * 1e6
        b_mean, a_mean = statistics.fmean(before) * 1e6, statistics.fmean(after) * 1e6
        print(
            f"  {op:6}  before: median {b_med:6.0f} µs, mean {b_mean:6.0f}, p95 {b_p95:6.0f}   "
            f"after: median {a_med:6.0f} µs, mean {a_mean:6.0f}, p95 {a_p95:6.0f}   "
            f"after/before (median): {a_med / b_med:.2f} ({b_med / a_med:.1f}× faster)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
