import json

import pytest
from pyld import jsonld

from credentials.openbadges.loader import (
    CONTEXTS_DIR,
    OB_V2_CONTEXT,
    OB_V3_CONTEXT,
    VC_V2_CONTEXT,
    DocumentLoader,
    DocumentNotFoundError,
    default_loader,
    shipped_context_urls,
)


def test_index_lists_existing_files_with_their_source():
    index = json.loads((CONTEXTS_DIR / "index.json").read_text())
    for url, entry in index.items():
        assert (CONTEXTS_DIR / entry["file"]).is_file(), url
        assert entry["source"], url
    for url in (VC_V2_CONTEXT, OB_V3_CONTEXT, OB_V2_CONTEXT, "https://w3id.org/security/multikey/v1"):
        assert url in shipped_context_urls()
    readme = (CONTEXTS_DIR / "README.md").read_text()
    for entry in index.values():
        assert entry["file"] in readme


def test_serves_shipped_contexts_as_static_and_same_objects():
    loader = default_loader()
    first = loader(OB_V3_CONTEXT, {})
    second = DocumentLoader()(OB_V3_CONTEXT, {})
    assert first["tag"] == "static"
    assert first["document"] is second["document"]
    assert "@context" in first["document"]


def test_unknown_url_is_a_clear_error_and_never_fetched():
    with pytest.raises(DocumentNotFoundError, match="not available offline"):
        default_loader()("https://example.org/unknown-context.json", {})
    doc = {"@context": ["https://example.org/unknown-context.json"], "name": "x"}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(doc, {"documentLoader": default_loader()})


def test_extra_documents():
    loader = DocumentLoader({"https://laurel.example.org/status/1": {"id": "x"}})
    loader.add("did:web:laurel.example.org", {"id": "did:web:laurel.example.org"})
    assert loader("https://laurel.example.org/status/1")["document"] == {"id": "x"}
    assert "tag" not in loader("did:web:laurel.example.org")
    assert "did:web:laurel.example.org" in loader
    with pytest.raises(ValueError):
        loader.add(VC_V2_CONTEXT, {})
    with pytest.raises(DocumentNotFoundError):
        default_loader()("did:web:laurel.example.org")


def test_library_imports_without_django():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; import credentials.openbadges, credentials.openbadges.baking; "
        "assert 'django' not in sys.modules, 'credentials.openbadges imported Django'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, env={"PYTHONPATH": str(root)})
