"""Offline JSON-LD document loader for pyld.

Signatures over JSON-LD are bound to the exact content of every ``@context``
document, so the library never fetches a context at run time: it serves only
the files shipped in ``contexts/`` (listed in ``contexts/index.json``, taken
from the npm packages that the DCC verifier itself uses, see
``contexts/README.md``).  Any other URL raises :class:`DocumentNotFoundError`.

Extra documents (for example a did:web DID document or a status list
credential that the portal serves itself) can be added per loader instance
with :meth:`DocumentLoader.add`; they are served to pyld but are not cached
as contexts.

Example::

    from credentials.openbadges.loader import default_loader
    pyld.jsonld.normalize(doc, {"algorithm": "URDNA2015",
                                "format": "application/n-quads",
                                "documentLoader": default_loader()})
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

# URLs used throughout the package.
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_V2_CONTEXT = "https://w3id.org/openbadges/v2"
DATA_INTEGRITY_V2_CONTEXT = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1_CONTEXT = "https://w3id.org/security/multikey/v1"
DID_V1_CONTEXT = "https://www.w3.org/ns/did/v1"


class DocumentNotFoundError(LookupError):
    """Raised for a URL that is neither a shipped context nor an added document."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(
            f"JSON-LD document {url!r} is not available offline: it is not one of the contexts "
            f"shipped in {CONTEXTS_DIR} (see index.json) nor a document added to the loader. "
            "Laurel never fetches contexts at run time; ship the context file to support it."
        )


@cache
def shipped_contexts() -> Mapping[str, Any]:
    """Return ``{url: parsed context document}`` for every shipped context.

    Parsed once per process; the same dict objects are returned every time, so
    callers must not mutate them.
    """
    index = json.loads((CONTEXTS_DIR / "index.json").read_text(encoding="utf-8"))
    docs: dict[str, Any] = {}
    for url, entry in index.items():
        docs[url] = json.loads((CONTEXTS_DIR / entry["file"]).read_text(encoding="utf-8"))
    return docs


def shipped_context_urls() -> list[str]:
    """The URLs of all shipped contexts, sorted."""
    return sorted(shipped_contexts())


class DocumentLoader:
    """A pyld ``documentLoader`` callable serving shipped contexts plus added documents.

    Shipped contexts are returned with ``tag: "static"`` so that pyld keeps the
    processed context in its process-wide resolved-context cache (the main
    reason repeated canonicalisation is fast).  Added documents are not tagged.
    """

    def __init__(self, extra_documents: Mapping[str, Any] | None = None):
        self._contexts = shipped_contexts()
        self._extra: dict[str, Any] = dict(extra_documents or {})

    def add(self, url: str, document: Any) -> None:
        """Serve ``document`` (a parsed JSON object) for ``url`` from now on.

        Shipped contexts cannot be overridden: that would change what every
        signature in the process means.
        """
        if url in self._contexts:
            raise ValueError(f"{url!r} is a shipped context and cannot be replaced")
        self._extra[url] = document

    def get(self, url: str) -> Any:
        """Return the parsed document for ``url`` or raise :class:`DocumentNotFoundError`."""
        doc = self._contexts.get(url)
        if doc is None:
            doc = self._extra.get(url)
        if doc is None:
            raise DocumentNotFoundError(url)
        return doc

    def __contains__(self, url: object) -> bool:
        return url in self._contexts or url in self._extra

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        doc = self._contexts.get(url)
        if doc is not None:
            return {
                "contextUrl": None,
                "documentUrl": url,
                "document": doc,
                "contentType": "application/ld+json",
                "tag": "static",
            }
        doc = self._extra.get(url)
        if doc is None:
            raise DocumentNotFoundError(url)
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": doc,
            "contentType": "application/ld+json",
        }


_DEFAULT: DocumentLoader | None = None


def default_loader() -> DocumentLoader:
    """A process-wide loader that serves only the shipped contexts."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = DocumentLoader()
    return _DEFAULT
