"""The wallets app's layout (issue 10): modules by concern and of a readable size, credentials never reaching
up into the wallet by URL name, and one copy of shared pieces."""

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def _modules(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def test_no_module_of_the_wallets_app_is_over_400_lines():
    sizes = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in _modules("wallets")}
    long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert "wallets/views/claims.py" in sizes  # the walk finds the packages' modules
    assert not long, f"split these by concern: {long}"


WALLET_URL_NAME = re.compile(r"""["']wallets:""")


def test_credentials_code_does_not_reverse_wallet_url_names():
    files = _modules("credentials") + list((ROOT / "templates" / "credentials").rglob("*.html"))
    offenders = [str(p.relative_to(ROOT)) for p in files if WALLET_URL_NAME.search(p.read_text())]
    assert not offenders, f"credentials name wallet URLs (use credentials.claims): {offenders}"
    assert files and WALLET_URL_NAME.search("""reverse("wallets:claim")""")  # the pattern does find one


@pytest.mark.parametrize("package", ["views", "services", "selectors"])
def test_each_layer_is_a_package_that_re_exports_its_modules_public_names(package):
    """Callers import from the package (`from wallets.services import claim_accept`), never needing to know
    which module of it holds a name."""
    folder = ROOT / "wallets" / package
    assert folder.is_dir() and not (ROOT / "wallets" / f"{package}.py").exists()
    exported = set(importlib.import_module(f"wallets.{package}").__all__)
    missing = []
    for path in folder.glob("*.py"):
        if path.name in ("__init__.py", "common.py"):
            continue
        tree = ast.parse(path.read_text())
        for node in tree.body:
            names = []
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            missing += [f"{path.stem}.{n}" for n in names if not n.startswith("_") and n not in exported]
    assert not missing, f"not re-exported by wallets.{package}: {missing}"


def test_old_imports_keep_working():
    from wallets.selectors import holds, wallet  # noqa: F401
    from wallets.services import claim_accept, wallet_entry_ensure  # noqa: F401
    from wallets.views import EMBED_POLICY, FILE_POLICY, claim  # noqa: F401

    assert callable(claim_accept) and callable(claim)


def test_the_credential_facts_block_is_written_once():
    include = '{% include "credentials/_facts.html"'
    for name in ("credentials/verify_page.html", "wallets/detail.html"):
        text = (ROOT / "templates" / name).read_text()
        assert include in text and "Awarded to <strong>" not in text and 'class="facts"' not in text, name
    assert "Awarded to <strong>" in (ROOT / "templates" / "credentials" / "_facts.html").read_text()


def test_no_wallet_receiver_answers_with_an_http_response():
    source = (ROOT / "wallets" / "receivers.py").read_text()
    assert "redirect" not in source and "HttpResponse" not in source
