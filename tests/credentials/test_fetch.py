"""The outbound HTTP client refuses every SSRF trick, and a real listener on loopback proves that nothing
arrives: through `fetch()` itself and through every public entry point that fetches (the /verify/ form,
/api/verify, a wallet import by URL, an OB 2.0 assertion's id, an OB 3.0 statusListCredential)."""

import ipaddress
import json
import socket

import pytest
import urllib3.util.connection

from credentials import fetch as fetcher
from credentials.fetch import FetchError, check_url, fetch, request
from tests.support.listener import Listener
from tests.wallets.conftest import client_for, make_learner
from wallets.models import ExternalCredential

PUBLIC_IP = "93.184.215.14"  # a globally routable address; connections to it are intercepted, never made


@pytest.fixture
def v4():
    with Listener("127.0.0.1") as listener:
        yield listener


@pytest.fixture
def v6():
    with Listener("::1") as listener:
        yield listener


def bypass_forms(p: int, q: int) -> list[str]:
    """Each one names the listener on 127.0.0.1:p or [::1]:q (or another local/private address) in a way
    that some parser or resolver does not see as local."""
    return [
        f"http://127.0.0.1:{p}\\@8.8.8.8/x",  # urllib.parse sees 8.8.8.8, urllib3 connects to 127.0.0.1
        f"http://127.0.0.1:{p}\\\\@8.8.8.8/x",
        f"http://8.8.8.8\\@127.0.0.1:{p}/x",
        f"http://127.0.0.1:{p}\t@8.8.8.8/x",  # urllib.parse drops the tab
        f"http://127.0.0.1:{p}\n@8.8.8.8/x",
        f"http://user:secret@127.0.0.1:{p}/x",
        f"http://8.8.8.8:80@127.0.0.1:{p}/x",
        f"http://@127.0.0.1:{p}/x",
        f"http://[::ffff:127.0.0.1]:{p}/x",  # IPv4-mapped IPv6
        f"http://[::ffff:7f00:1]:{p}/x",
        f"http://[::127.0.0.1]:{q}/x",  # IPv4-compatible IPv6 (deprecated)
        f"http://2130706433:{p}/x",  # decimal
        f"http://0x7f.1:{p}/x",  # hex, short form
        f"http://0x7f000001:{p}/x",
        f"http://0177.0.0.1:{p}/x",  # octal
        f"http://127.1:{p}/x",
        f"http://0.0.0.0:{p}/x",
        f"http://0:{p}/x",
        f"http://[::]:{q}/x",
        f"http://localhost:{p}/x",
        f"http://LOCALHOST.:{p}/x",
        f"http://[::1]:{q}/x",
        f"http://[0:0:0:0:0:0:0:1]:{q}/x",
        f"http://[fe80::1]:{p}/x",  # IPv6 link-local
        f"http://[fe80::1%25lo]:{p}/x",  # with a zone id
        f"http://169.254.169.254:{p}/latest/meta-data/",  # link-local (cloud metadata)
        f"http://10.0.0.5:{p}/x",
        f"http://100.64.0.1:{p}/x",  # shared address space
        f"http://１２７.０.０.１:{p}/x",  # full-width digits (IDNA maps them to 127.0.0.1)
        f"http://127.0.0.1%2f@8.8.8.8:{p}/x",
        f"http://ex%61mple.org@127.0.0.1:{p}/x",
        f"http://127.0.0.1:{p}:80/x",
        "http://127.0.0.1:99999/x",
        f"file:///etc/passwd#127.0.0.1:{p}",
        f"gopher://127.0.0.1:{p}/x",
    ]


def _forms(v4, v6):
    return bypass_forms(v4.port, v6.port)


def _refused(message: str) -> bool:
    """The fetcher's refusals, or the verifier's own shape check refusing the address before any fetch."""
    reasons = (
        "not fetched",
        "Only http and https",
        "cannot be found",
        "valid http or https address",
        "does not name a status list URL",
    )
    return any(why in message for why in reasons) or message.startswith("Not a valid credential")


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Dozens of refused forms from one client: the fetcher is under test here, not the throttle."""
    settings.RATELIMIT_ENABLE = False


def _check_or_problem(report: dict, name: str) -> str:
    """The message of the named check, or the report's problem when the input was refused before the checks."""
    if report.get("problem"):
        return report["problem"]
    return {check["name"]: check for check in report["checks"]}[name]["message"]


def _nothing_arrived(*listeners):
    for listener in listeners:
        assert listener.connections == [] and listener.requests == [], (listener.host, listener.requests)


def test_every_bypass_form_is_refused_by_fetch_and_nothing_arrives(v4, v6):
    for url in _forms(v4, v6):
        with pytest.raises(FetchError) as caught:
            fetch(url)
        assert _refused(str(caught.value)), (url, str(caught.value))
    _nothing_arrived(v4, v6)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_lower_level_request_refuses_them_too(v4, v6, method):
    for url in _forms(v4, v6):
        with pytest.raises(FetchError):
            request(method, url, body=b'{"event": "test"}', max_redirects=3)
    _nothing_arrived(v4, v6)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://127.0.0.1:8000\\@8.8.8.8/x", "backslashes"),
        ("http://user:pw@example.org/x", "user name or password"),
        ("http://2130706433/x", "not a usual host name"),
        ("http://0x7f.1/x", "not a usual host name"),
        ("http://[::ffff:127.0.0.1]/x", "private or local address"),
        ("http://example.org:99999/x", "invalid port"),
        ("ftp://example.org/x", "Only http and https"),
        ("http://ex%61mple.org/x", "no valid host name"),
        ("http://exa mple.org/x", "spaces"),
    ],
)
def test_each_refusal_says_why(url, fragment):
    with pytest.raises(FetchError, match=fragment):
        check_url(url)


def test_urls_that_are_plain_pass_the_syntax_check():
    assert check_url("https://badges.example.org/a/1.json?x=1#f") == "https://badges.example.org/a/1.json?x=1#f"
    assert check_url("HTTPS://Badges.Example.ORG:8443/a") == "https://badges.example.org:8443/a"
    assert check_url("https://bücher.example/a") == "https://xn--bcher-kva.example/a"
    assert check_url("http://8.8.8.8/x") == "http://8.8.8.8/x"


# --- DNS: one resolution, and the connection goes to the address that was checked ---------------------


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


@pytest.fixture
def resolver(monkeypatch):
    """Patch name resolution: `answers[name]` is a list of answers, one per call (the last repeats); IP
    literals resolve as usual. Connections are recorded; those to an IP address other than loopback are refused
    (no network), those to a name go through the patched resolver."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, urllib3.util.connection.create_connection
    state = {"answers": {}, "lookups": [], "connects": []}

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name in state["answers"]:
            state["lookups"].append(name)
            answers = state["answers"][name]
            addresses = answers[min(len(state["lookups"]) - 1, len(answers) - 1)]
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, int(port or 80)))
                for a in addresses
            ]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        state["connects"].append(address[0])
        if _is_ip(address[0]) and address[0] not in ("127.0.0.1", "::1"):
            raise OSError("test: no connections leave this machine")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)
    return state


def test_dns_rebinding_public_then_loopback_never_reaches_loopback(v4, resolver):
    resolver["answers"]["rebind.example"] = [[PUBLIC_IP], ["127.0.0.1"]]
    with pytest.raises(FetchError, match="could not be fetched"):
        fetch(f"http://rebind.example:{v4.port}/x")
    assert resolver["lookups"] == ["rebind.example"]  # resolved once
    assert resolver["connects"] == [PUBLIC_IP]  # and connected to the address that was checked
    _nothing_arrived(v4)


def test_an_answer_with_a_private_address_first_is_refused(v4, resolver):
    resolver["answers"]["mixed.example"] = [["127.0.0.1", PUBLIC_IP]]
    with pytest.raises(FetchError, match="mixed.example is a private or local address"):
        fetch(f"http://mixed.example:{v4.port}/x")
    assert resolver["lookups"] == ["mixed.example"] and resolver["connects"] == []
    _nothing_arrived(v4)


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "::1", "::ffff:127.0.0.1", "0.0.0.0", "10.1.2.3", "169.254.169.254", "fe80::1", "::"]
)
def test_names_resolving_to_local_addresses_are_refused(v4, resolver, address):
    resolver["answers"]["inside.example"] = [[address]]
    with pytest.raises(FetchError, match="private or local address"):
        fetch(f"http://inside.example:{v4.port}/x")
    assert resolver["connects"] == []
    _nothing_arrived(v4)


def test_proxies_from_the_environment_are_ignored(v4, resolver, monkeypatch):
    """A proxy would resolve the name itself, after our check: the environment's proxy settings are not used."""
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{v4.port}")
    resolver["answers"]["public.example"] = [[PUBLIC_IP]]
    with pytest.raises(FetchError, match="could not be fetched"):
        fetch("http://public.example/x")
    assert resolver["connects"] == [PUBLIC_IP]
    _nothing_arrived(v4)


def test_an_allow_listed_name_is_fetched_and_the_allowance_cannot_be_borrowed(v4, resolver, settings):
    settings.FETCH_ALLOWED_HOSTS = ["badges.test"]
    resolver["answers"]["badges.test"] = [["127.0.0.1"]]
    v4.routes["/doc.json"] = (200, {"Content-Type": "application/ld+json"}, b'{"ok": true}')
    body, content_type = fetch(f"http://badges.test:{v4.port}/doc.json")
    assert json.loads(body) == {"ok": True} and content_type == "application/ld+json"
    assert v4.requests[0][2]["Host"] == f"badges.test:{v4.port}"
    for url in (
        f"http://badges.test\\@127.0.0.1:{v4.port}/doc.json",
        f"http://127.0.0.1:{v4.port}\\@badges.test/doc.json",
        f"http://badges.test@127.0.0.1:{v4.port}/doc.json",
        f"http://127.0.0.1:{v4.port}/doc.json",
    ):
        with pytest.raises(FetchError):
            fetch(url)
    assert len(v4.requests) == 1


# --- redirects ----------------------------------------------------------------------------------------


def test_a_redirect_chain_ending_on_loopback_is_refused_at_the_last_hop(v4, v6, settings):
    settings.FETCH_ALLOWED_HOSTS = ["localhost"]
    v4.routes["/start"] = (302, {"Location": "/hop"}, b"")
    v4.routes["/hop"] = (301, {"Location": f"http://127.0.0.1:{v4.port}/secret"}, b"")
    with pytest.raises(FetchError, match="127.0.0.1 is a private or local address"):
        fetch(f"http://localhost:{v4.port}/start")
    assert v4.paths == ["/start", "/hop"]
    for target in (f"http://127.0.0.1:{v4.port}\\@8.8.8.8/secret", f"http://[::1]:{v6.port}/secret"):
        v4.routes["/bounce"] = (307, {"Location": target}, b"")
        with pytest.raises(FetchError, match="not fetched"):
            fetch(f"http://localhost:{v4.port}/bounce")
    assert "/secret" not in v4.paths
    _nothing_arrived(v6)


def test_redirects_are_limited(v4, settings):
    settings.FETCH_ALLOWED_HOSTS = ["localhost"]
    v4.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match="Too many redirects"):
        fetch(f"http://localhost:{v4.port}/loop")
    assert len(v4.requests) == fetcher.MAX_REDIRECTS + 1


def test_a_post_is_not_redirected_unless_asked_and_the_body_is_dropped_after_a_303(v4, settings):
    settings.FETCH_ALLOWED_HOSTS = ["localhost"]
    v4.routes["/hook"] = (303, {"Location": "/done"}, b"")
    answer = request("POST", f"http://localhost:{v4.port}/hook", body=b"{}")
    assert answer.status == 303 and v4.paths == ["/hook"]
    answer = request("POST", f"http://localhost:{v4.port}/hook", body=b"{}", max_redirects=1)
    assert answer.status == 200 and [m for m, _p, _h in v4.requests] == ["POST", "POST", "GET"]


def test_size_is_limited(v4, settings):
    settings.FETCH_ALLOWED_HOSTS = ["localhost"]
    v4.routes["/big"] = (200, {}, b"x" * 5000)
    with pytest.raises(FetchError, match="larger than 1 KB"):
        fetch(f"http://localhost:{v4.port}/big", max_bytes=1024)


# --- TLS: pinning the address keeps the certificate checked against the name ---------------------------


def _tls_files(tmp_path, name: str):
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Laurel test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    cert = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(pem))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"


@pytest.fixture
def tls_listener(tmp_path):
    import ssl

    ca, cert, key = _tls_files(tmp_path, "badges.test")
    with Listener("127.0.0.1") as listener:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        listener.server.socket = context.wrap_socket(listener.server.socket, server_side=True)
        listener.ca = str(ca)
        yield listener


def test_https_to_a_pinned_address_still_checks_the_certificate_against_the_name(tls_listener, resolver, monkeypatch):
    """The production adapter, with loopback allowed for this test only: the name resolves once to 127.0.0.1,
    the connection goes there, and TLS verifies the certificate for the name, not for the address."""
    session = fetcher._session()
    session.mount("https://", fetcher._Adapter(is_https_proto=True, allow_loopback=True))
    session.verify = tls_listener.ca
    monkeypatch.setattr(fetcher, "_session", lambda: session)
    monkeypatch.setattr(fetcher, "address_allowed", lambda address: address in ("127.0.0.1", "[127.0.0.1]"))
    tls_listener.routes["/doc.json"] = (200, {"Content-Type": "application/json"}, b'{"tls": true}')
    resolver["answers"]["badges.test"] = [["127.0.0.1"]]
    resolver["answers"]["impostor.test"] = [["127.0.0.1"]]

    body, _type = fetch(f"https://badges.test:{tls_listener.port}/doc.json")
    assert json.loads(body) == {"tls": True} and resolver["lookups"] == ["badges.test"]
    assert resolver["connects"] == ["127.0.0.1"]

    with pytest.raises(FetchError, match="could not be fetched"):  # the certificate is not for this name
        fetch(f"https://impostor.test:{tls_listener.port}/doc.json")
    assert len(tls_listener.requests) == 1


def test_https_certificates_are_verified_by_default(tls_listener, settings):
    settings.FETCH_ALLOWED_HOSTS = ["localhost"]
    with pytest.raises(FetchError, match="could not be fetched"):  # signed by a CA the system does not trust
        fetch(f"https://localhost:{tls_listener.port}/doc.json")
    assert tls_listener.requests == []


# --- the public entry points --------------------------------------------------------------------------


def _ob2_assertion(assertion_id: str) -> dict:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": assertion_id,
        "recipient": {"type": "email", "hashed": False, "identity": "amina.okonkwo@example.org"},
        "badge": "https://badges.other.example/b.json",
        "verification": {"type": "hosted"},
        "issuedOn": "2024-05-01T00:00:00Z",
    }


def _ob3_with_status_list(list_url: str) -> dict:
    from tests.wallets.test_import import third_party_credential

    credential = third_party_credential()
    credential["credentialStatus"] = {
        "id": f"{list_url}#1",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "1",
        "statusListCredential": list_url,
    }
    return credential


def test_verify_page_and_api_refuse_every_form(client, db, v4, v6):
    for url in _forms(v4, v6):
        page = client.post("/verify/", {"credential": url})
        assert page.status_code == 400, url
        api = client.post("/api/verify", url.encode(), content_type="text/plain")
        assert api.status_code == 400, url
        assert _refused(api.json()["problem"]) or "not valid JSON" in api.json()["problem"], url
    _nothing_arrived(v4, v6)


def test_ob2_assertion_ids_and_ob3_status_lists_are_refused(client, db, v4, v6):
    for url in _forms(v4, v6):
        if not url.startswith("http"):
            continue
        ob2 = client.post("/api/verify", json.dumps(_ob2_assertion(url)), content_type="application/json").json()
        hosted = _check_or_problem(ob2, "hosted")
        assert not ob2["valid"] and _refused(hosted), (url, hosted)
        ob3 = client.post("/api/verify", json.dumps(_ob3_with_status_list(url)), content_type="application/json")
        status = _check_or_problem(ob3.json(), "status")
        assert not ob3.json()["valid"] and _refused(status), (url, status)
    _nothing_arrived(v4, v6)


def test_wallet_imports_refuse_every_form(db, v4, v6):
    learner = client_for(make_learner("amina.okonkwo@example.org"))
    for url in _forms(v4, v6):
        response = learner.post("/wallet/import/", {"url": url})
        assert response.status_code == 400, url
        text = json.dumps(_ob3_with_status_list(url)) if url.startswith("http") else ""
        if text:
            response = learner.post("/wallet/import/", {"text": text})
            assert response.status_code == 400 and _refused(response.content.decode()), url
    assert not ExternalCredential.objects.exists()
    _nothing_arrived(v4, v6)


def test_the_backslash_form_from_the_issue_is_refused_at_every_entry_point(client, db, v4):
    """The report's exact case, with the message a person sees."""
    url = f"http://127.0.0.1:{v4.port}\\@8.8.8.8/x"
    assert "backslashes" in client.post("/api/verify", url.encode(), content_type="text/plain").json()["problem"]
    assert "backslashes" in client.post("/verify/", {"credential": url}).content.decode()
    learner = client_for(make_learner("amina.okonkwo@example.org"))
    assert "backslashes" in learner.post("/wallet/import/", {"url": url}).content.decode()
    _nothing_arrived(v4)
