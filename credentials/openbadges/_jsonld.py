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
   uncached path.  Under such a cached context it also memoises the expansion
   of terms and types (``_expand_iri`` with ``vocab``) and of whole objects
   without a ``@context`` of their own, by their JSON text (the issuer and
   the achievement repeat from one credential to the next), and the
   canonical form of the expanded document is written by ``_rdfc`` (pyld's
   to_rdf and URDNA2015 for shapes it does not handle).  ``FAST_PATHS =
   False`` turns these three off (for comparison in benchmarks/signing.py).

The result is checked in the tests against plain ``pyld.jsonld.normalize``.
"""

from __future__ import annotations

import json
import pickle
import threading
import uuid
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from . import _rdfc
from ._undefined import SENTINEL, find_undefined
from .errors import UndefinedTermsError
from .loader import DocumentLoader, default_loader, shipped_contexts

_SENTINEL_CONTEXT = {"@vocab": SENTINEL}


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

    def _expand(
        self,
        active_ctx,
        active_property,
        element,
        options,
        inside_list=False,
        inside_index=False,
        type_scoped_ctx=None,
    ):
        # Memoised for an object under a cached active context (and type-scoped context), without any @context
        # of its own: its expansion then depends only on its JSON text. Issuer, achievement, criteria and image
        # objects repeat from one credential to the next. Results are stored pickled and returned as new
        # objects (pyld's to_rdf changes the tree it is given).
        key = None
        if type(element) is dict and options.get(_MEMO_OPTION):
            uid = active_ctx.get("_uuid")
            scoped = "" if type_scoped_ctx is None else type_scoped_ctx.get("_uuid")
            if uid in _STABLE and (scoped == "" or scoped in _STABLE):
                try:
                    text = json.dumps(element, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
                except (TypeError, ValueError):
                    text = None
                if text is not None and '"@context"' not in text:
                    key = (uid, scoped, active_property, inside_list, inside_index, options.get("base"), text)
                    with _EXPANDED_LOCK:
                        hit = _EXPANDED.get(key)
                    if hit is not None:
                        return pickle.loads(hit)  # noqa: S301 (bytes this process pickled itself)
        result = super()._expand(
            active_ctx, active_property, element, options, inside_list, inside_index, type_scoped_ctx
        )
        if key is not None:
            stored = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with _EXPANDED_LOCK:
                _EXPANDED[key] = stored
        return result

    def _expand_iri(self, active_ctx, value, base=None, vocab=False, local_ctx=None, defined=None):
        # Terms and types (vocab=True) under a cached active context, outside context processing: the result
        # depends only on the context and the value. Ids (vocab=False) are not kept: most are unique.
        if vocab and local_ctx is None and type(value) is str and FAST_PATHS:
            uid = active_ctx.get("_uuid")
            if uid in _STABLE:
                key = (uid, value, base)
                try:
                    return _IRIS[key]
                except KeyError:
                    pass
                result = super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
                if len(_IRIS) >= _IRIS_MAX:
                    _IRIS.clear()
                _IRIS[key] = result
                return result
        return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)


# False: pyld's own expansion, to_rdf and URDNA2015 only (with the context cache above): what
# benchmarks/signing.py compares against in the same process.
FAST_PATHS = True
_IRIS: dict = {}
_IRIS_MAX = 20_000
_MEMO_OPTION = "laurelMemo"
_EXPANDED: LRUCache = LRUCache(maxsize=2048)
_EXPANDED_LOCK = threading.Lock()


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
        _MEMO_OPTION: FAST_PATHS,
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


def nquads_from_expanded(expanded: list, loader: DocumentLoader | None = None) -> str:
    """URDNA2015 canonical N-Quads of an already expanded document (as pyld ``to_rdf``).

    Credentials take the fast path (``_rdfc``); anything it does not handle goes through pyld.
    """
    fast = _rdfc.canonical_nquads(expanded) if FAST_PATHS else None
    if fast is not None:
        return fast
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
