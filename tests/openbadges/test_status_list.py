import base64
import gzip

import pytest

from credentials.openbadges.errors import StatusListError
from credentials.openbadges.proof import sign_credential
from credentials.openbadges.proof_verify import verify_credential
from credentials.openbadges.status_list import (
    MIN_BITS,
    StatusList,
    decode_bits,
    encode_bits,
    entry_is_set,
    random_free_index,
    status_entry,
    status_list_credential,
)
from tests.openbadges.helpers import make_credential
from tests.support.dcc import dcc_verify


def test_index_zero_is_the_most_significant_bit_of_the_first_byte():
    sl = StatusList()
    sl.set(0)
    assert sl.to_bytes()[0] == 0x80
    sl.set(7)
    assert sl.to_bytes()[0] == 0x81
    sl.set(8)
    assert sl.to_bytes()[:2] == b"\x81\x80"
    sl.set(0, False)
    assert sl.to_bytes()[:2] == b"\x01\x80"
    assert sl.get(7) and sl.get(8) and not sl.get(0) and not sl.get(9)
    assert sl.set_indexes() == [7, 8]


def test_minimum_size_and_bounds():
    sl = StatusList()
    assert len(sl) == MIN_BITS == 131_072
    assert len(sl.to_bytes()) == 16 * 1024
    with pytest.raises(StatusListError):
        StatusList(MIN_BITS - 8)
    with pytest.raises(IndexError):
        sl.get(MIN_BITS)
    with pytest.raises(IndexError):
        sl.set(-1)


def test_encode_decode_round_trip():
    sl = StatusList()
    for i in (0, 1, 12345, 65536, MIN_BITS - 1):
        sl.set(i)
    encoded = sl.encode()
    assert encoded.startswith("u") and "=" not in encoded
    assert "+" not in encoded and "/" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw == sl.to_bytes()
    again = StatusList.decode(encoded)
    assert again.set_indexes() == [0, 1, 12345, 65536, MIN_BITS - 1]
    assert encode_bits(again.to_bytes()) == encoded  # deterministic (gzip mtime 0)
    # an empty 16 KiB list compresses to a short string
    assert len(StatusList().encode()) < 200


def test_decode_refuses_garbage_and_bombs():
    with pytest.raises(StatusListError):
        decode_bits("u!!!")
    with pytest.raises(StatusListError):
        decode_bits("u" + base64.urlsafe_b64encode(b"not gzip").decode().rstrip("="))
    bomb = gzip.compress(bytes(64 * 1024 * 1024))
    with pytest.raises(StatusListError, match="inflates"):
        decode_bits("u" + base64.urlsafe_b64encode(bomb).decode().rstrip("="))


def test_random_free_index():
    picks = [random_free_index(set()) for _ in range(200)]
    assert all(0 <= p < MIN_BITS for p in picks)
    assert len(set(picks)) > 190
    assert picks != sorted(picks)
    allocated = set(range(0, 1000)) | set(range(1001, 1024))
    assert random_free_index(allocated, size=1024) == 1000
    with pytest.raises(StatusListError, match="full"):
        random_free_index(set(range(1024)), size=1024)


def test_entry_and_list_credential_shapes():
    url = "https://laurel.example.org/status/3"
    entry = status_entry(url, 42)
    assert entry == {
        "id": url + "#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": url,
    }
    sl = StatusList()
    sl.set(42)
    cred = status_list_credential(url, "did:key:z6Mkexample", sl.encode(), valid_from="2024-01-01T00:00:00Z")
    assert cred["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert cred["credentialSubject"]["id"] == url + "#list"
    assert cred["credentialSubject"]["type"] == "BitstringStatusList"
    assert entry_is_set(cred, entry)
    assert not entry_is_set(cred, status_entry(url, 43))
    with pytest.raises(StatusListError):
        entry_is_set(cred, status_entry("https://other.example/status/1", 42))


@pytest.mark.tools
def test_revoked_entry_reads_revoked_in_dcc(dcc, issuer_key, status_server):
    list_path = "/status/1"
    list_url = status_server.url(list_path)
    revoked_index, valid_index = random_free_index(set()), None
    while valid_index is None or valid_index == revoked_index:
        valid_index = random_free_index({revoked_index})

    def signed(c):
        return sign_credential(
            c, private_key=issuer_key.private_key, verification_method=issuer_key.verification_method
        )

    revoked = signed(make_credential(issuer_key.did, 1, status=status_entry(list_url, revoked_index)))
    valid = signed(make_credential(issuer_key.did, 2, status=status_entry(list_url, valid_index)))

    sl = StatusList()
    sl.set(revoked_index)
    list_credential = signed(
        status_list_credential(list_url, issuer_key.did, sl.encode(), valid_from="2024-01-01T00:00:00Z")
    )
    assert verify_credential(list_credential).ok
    status_server.put(list_path, list_credential)

    r_revoked, r_valid = dcc_verify([revoked, valid])
    assert r_revoked["signature"], r_revoked["errors"]
    assert r_revoked["status"]["checked"] and not r_revoked["status"]["verified"]
    assert r_revoked["status"]["results"][0]["set"] is True
    assert not r_revoked["verified"]
    assert r_valid["verified"], r_valid["errors"]
    assert r_valid["status"]["results"][0]["set"] is False

    # un-revoke: the same credential verifies again
    sl.set(revoked_index, False)
    status_server.put(
        list_path,
        signed(status_list_credential(list_url, issuer_key.did, sl.encode(), valid_from="2024-01-01T00:00:00Z")),
    )
    assert dcc_verify(revoked)["verified"]

    # a list that is not signed by us is refused (status check fails)
    forged = dict(list_credential)
    forged["credentialSubject"] = dict(forged["credentialSubject"], encodedList=StatusList().encode())
    status_server.put(list_path, forged)
    result = dcc_verify(revoked)
    assert not result["verified"]
    assert "not verified" in " ".join(result["errors"])
