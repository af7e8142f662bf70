"""The undefined-term check: what JSON-LD would drop from a document (see ``_jsonld``, point 1).

Internal module.  :func:`find_undefined` reads the expansion made with the sentinel ``@vocab``
(``_jsonld.expand_with_sentinel``) and names the properties, types and ids the contexts do not define.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

SENTINEL = "urn:laurel:undefined-term:"

_KEYWORD_LIKE = re.compile(r"^@[a-zA-Z]+$")
_ABSOLUTE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


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
