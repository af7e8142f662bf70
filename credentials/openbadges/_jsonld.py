"""JSON-LD plumbing on top of pyld: canonicalisation and the undefined-term check.

Internal module.  Two things are done here that pyld does not do by itself:

1. **Undefined terms.**  pyld silently drops properties (and ``type`` values,
   and relative ``id`` values) that the contexts do not define; the signature
   then covers a document without them, and the DCC verifier (jsonld.js in
   safe mode) rejects the credential.  We expand the document once with one
   extra context entry, ``{"@vocab": SENTINEL}``, appended to its top-level
   ``@context``: a term that no context defines then expands to
   ``SENTINEL + term`` instead of disappearing, which we detect.  If the
   expanded document contains no sentinel IRI at all, the extra ``@vocab``
   changed nothing, so the same expansion is used to build the canonical
   N-Quads (no second expansion).

2. **Speed.**  pyld caches processed *top-level* contexts, but re-processes a
   type-scoped or property-scoped context (the OB 3.0 context has one per
   class) for every node of every document, because it clones the active
   context under a fresh id first.  :class:`_CachingProcessor` memoises
   ``_process_context`` for contexts that are known to be immutable: the
   shipped context documents (by URL, and their nested scoped-context objects
   by identity) and our sentinel.  Results are the same objects pyld itself
   would cache; documents with their own inline contexts take the normal,
   uncached path.

The result is checked in the tests against plain ``pyld.jsonld.normalize``.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from .errors import UndefinedTermsError
from .loader import DocumentLoader, default_loader, shipped_contexts

SENTINEL = "urn:laurel:undefined-term:"
_SENTINEL_CONTEXT = {"@vocab": SENTINEL}

_KEYWORD_LIKE = re.compile(r"^@[a-zA-Z]+$")
_ABSOLUTE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")

# --- context-processing cache ------------------------------------------------

_immutable_ids: set[int] | None = None


def _immutable_context_ids() -> set[int]:
    """ids of every dict/list inside the shipped contexts (kept alive forever)."""
    global _immutable_ids
    if _immutable_ids is None:
        ids: set[int] = {id(_SENTINEL_CONTEXT)}

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                ids.add(id(node))
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                ids.add(id(node))
                for value in node:
                    walk(value)

        for doc in shipped_contexts().values():
            walk(doc)
        _immutable_ids = ids
    return _immutable_ids


def _context_key(local_ctx: Any) -> Any:
    """A hashable key for a local context whose content can never change, else None."""
    if isinstance(local_ctx, str):
        return ("u", local_ctx) if local_ctx in shipped_contexts() else None
    if isinstance(local_ctx, dict | list) and id(local_ctx) in _immutable_context_ids():
        return ("o", id(local_ctx))
    if isinstance(local_ctx, list):
        keys = []
        for item in local_ctx:
            key = _context_key(item)
            if key is None:
                return None
            keys.append(key)
        return tuple(keys)
    return None


_PROCESSED: LRUCache = LRUCache(maxsize=1024)
_PROCESSED_LOCK = threading.Lock()
# uuids of active contexts that are themselves cache results (or pyld's initial contexts): only
# those are used as cache keys, so documents with inline contexts cannot fill the cache.
_STABLE: set[str] = set()


class _CachingProcessor(jsonld.JsonLdProcessor):
    def _process_context(
        self,
        active_ctx,
        local_ctx,
        options,
        override_protected=False,
        propagate=True,
        validate_scoped=True,
        cycles=None,
    ):
        uid = active_ctx.get("_uuid")
        ctx_key = None
        if cycles is None and uid is not None and (uid in _STABLE or _is_initial(active_ctx)):
            ctx_key = _context_key(local_ctx)
        if ctx_key is None:
            if cycles is None:
                return super()._process_context(
                    active_ctx, local_ctx, options, override_protected, propagate, validate_scoped
                )
            # only used while validating scoped contexts inside context processing
            return super()._process_context(
                active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
            )
        key = (uid, ctx_key, override_protected, propagate, validate_scoped)
        with _PROCESSED_LOCK:
            hit = _PROCESSED.get(key)
        if hit is not None:
            return hit[0]
        result = super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped
        )
        if "_uuid" not in result:
            result["_uuid"] = str(uuid.uuid1())
        with _PROCESSED_LOCK:
            # keep the parent alive as long as the entry: its uuid is part of the key
            _PROCESSED[key] = (result, active_ctx)
            _STABLE.add(result["_uuid"])
        return result


def _is_initial(active_ctx) -> bool:
    return any(active_ctx is ctx for ctx in jsonld.INITIAL_CONTEXTS.values())


_PROCESSOR = _CachingProcessor()


def _options(loader: DocumentLoader) -> dict[str, Any]:
    return {
        "base": "",
        "documentLoader": loader,
        "contextResolver": ContextResolver(jsonld._resolved_context_cache, loader),
        "isFrame": False,
        "keepFreeFloatingNodes": False,
        "extractAllScripts": False,
        "processingMode": "json-ld-1.1",
        "produceGeneralizedRdf": False,
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
    }


# --- expansion, checks, canonical form ---------------------------------------


def expand_with_sentinel(document: dict, loader: DocumentLoader | None = None) -> list:
    """Expand ``document`` with the sentinel ``@vocab`` appended to its top-level context.

    The input is not copied or modified (pyld's expansion builds a new tree).
    """
    loader = loader or default_loader()
    if not isinstance(document, dict):
        raise TypeError("a JSON-LD document must be a JSON object")
    ctx = document.get("@context")
    if ctx is None:
        raise ValueError("the document has no @context")
    ctx_list = list(ctx) if isinstance(ctx, list) else [ctx]
    doc = dict(document)
    doc["@context"] = [*ctx_list, _SENTINEL_CONTEXT]
    options = _options(loader)
    active_ctx = _PROCESSOR._get_initial_context(options)
    expanded = _PROCESSOR._expand(active_ctx, None, doc, options, inside_list=False)
    if isinstance(expanded, dict) and "@graph" in expanded and len(expanded) == 1:
        expanded = expanded["@graph"]
    elif expanded is None:
        expanded = []
    return jsonld.JsonLdProcessor.arrayify(expanded)


def _iter_original(node: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                continue
            sub = f"{path}.{key}" if path else key
            yield path, key, value
            yield from _iter_original(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _iter_original(value, f"{path}[{i}]")


def find_undefined(document: dict, expanded: list) -> list[str]:
    """Plain-English problems: properties, types and ids that would be dropped.

    ``expanded`` must come from :func:`expand_with_sentinel` on ``document``.
    """
    bad_terms: set[str] = set()
    bad_types: set[str] = set()
    relative_ids: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if key.startswith(SENTINEL):
                bad_terms.add(key[len(SENTINEL) :])
            if key == "@type":
                for t in value if isinstance(value, list) else [value]:
                    if isinstance(t, str) and t.startswith(SENTINEL):
                        bad_types.add(t[len(SENTINEL) :])
            elif key == "@id":
                if isinstance(value, str):
                    if value.startswith(SENTINEL):
                        bad_types.add(value[len(SENTINEL) :])
                    elif not value.startswith("_:") and not _ABSOLUTE_IRI.match(value):
                        relative_ids.add(value)
            else:
                walk(value)

    walk(expanded)

    # One cheap pass over the original for what the expansion cannot show: keys that look like
    # keywords (pyld drops them) and nested "@context": null (would hide the sentinel).
    suspicious = False

    def scan(node: Any, top: bool) -> None:
        nonlocal suspicious
        if isinstance(node, dict):
            for key, value in node.items():
                if key[:1] == "@":
                    if key == "@context":
                        if not top and (value is None or value is False):
                            suspicious = True
                        continue
                    if key not in _JSONLD_KEYWORDS:
                        suspicious = True
                scan(value, False)
        elif isinstance(node, list):
            for item in node:
                scan(item, False)

    scan(document, True)
    if not (bad_terms or bad_types or relative_ids or suspicious):
        return []

    # Something is wrong: now spend the time to name paths.
    problems: list[str] = []
    paths: dict[str, list[str]] = {}
    keyword_like: list[str] = []
    nested_resets: list[str] = []
    for parent, key, _value in _iter_original(document, ""):
        full = f"{parent}.{key}" if parent else key
        if key in bad_terms:
            paths.setdefault(key, []).append(full)
        elif _KEYWORD_LIKE.match(key) and key not in _JSONLD_KEYWORDS:
            keyword_like.append(full)
    for _parent, key, value in _iter_nested_contexts(document, ""):
        if value is None or value is False:
            nested_resets.append(key)
    for term in sorted(bad_terms):
        where = ", ".join(paths.get(term, [])) or "somewhere in the document"
        problems.append(f"property {term!r} is not defined by the @context ({where})")
    for t in sorted(bad_types):
        problems.append(f"type (or vocabulary value) {t!r} is not defined by the @context")
    for i in sorted(relative_ids):
        problems.append(f"id {i!r} is not an absolute URL/IRI")
    for path in keyword_like:
        problems.append(f"property {path!r} looks like a JSON-LD keyword but is not one")
    for path in nested_resets:
        problems.append(f"a nested @context at {path or 'the top level'} resets the context (not supported)")
    return problems


def _iter_nested_contexts(node: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else key
            if key == "@context":
                if path:
                    yield path, path, value
                continue
            yield from _iter_nested_contexts(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _iter_nested_contexts(value, f"{path}[{i}]")


_JSONLD_KEYWORDS = frozenset(
    [
        "@base", "@container", "@context", "@default", "@direction", "@embed", "@explicit",
        "@first", "@graph", "@id", "@import", "@included", "@index", "@json", "@language",
        "@list", "@nest", "@none", "@omitDefault", "@prefix", "@preserve", "@propagate",
        "@protected", "@requireAll", "@reverse", "@set", "@type", "@value", "@version", "@vocab",
    ]
)  # fmt: skip


def nquads_from_expanded(expanded: list, loader: DocumentLoader | None = None) -> str:
    """URDNA2015 canonical N-Quads of an already expanded document (as pyld ``to_rdf``)."""
    options = _options(loader or default_loader())
    issuer = jsonld.IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    _PROCESSOR._create_node_map(expanded, node_map, "@default", issuer)
    dataset = {}
    for graph_name, graph in sorted(node_map.items()):
        if graph_name == "@default" or jsonld._is_absolute_iri(graph_name):
            dataset[graph_name] = _PROCESSOR._graph_to_rdf(graph, issuer, options)
    return jsonld.URDNA2015().main(dataset, options)


def checked_nquads(document: dict, loader: DocumentLoader | None = None) -> str:
    """Canonical N-Quads of ``document``; raises :class:`UndefinedTermsError` first if needed."""
    expanded = expand_with_sentinel(document, loader)
    problems = find_undefined(document, expanded)
    if problems:
        raise UndefinedTermsError(problems)
    return nquads_from_expanded(expanded, loader)


def reference_nquads(document: dict, loader: DocumentLoader | None = None) -> str:
    """Canonical N-Quads through pyld's public ``normalize`` only (no shortcuts, no checks)."""
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": loader or default_loader(),
        },
    )
