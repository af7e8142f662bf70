"""RDF Dataset Canonicalization (URDNA2015 / RDFC-1.0) of an expanded JSON-LD document, fast path.

Internal module.  :func:`canonical_nquads` turns the expanded form of a credential straight into canonical
N-Quads, byte for byte what pyld's ``to_rdf`` + ``URDNA2015`` give, for the shapes our documents have:

- node objects with an absolute (or relative, then skipped as pyld does) ``@id`` or none (a blank node),
  ``@type`` and properties whose values are node objects or value objects with a *string* or boolean
  (or boolean, integer or float) ``@value`` and an optional ``@type`` (datatype) or ``@language``;
- blank nodes whose first-degree hashes all differ (the "simple" part of the algorithm, step 5): true of
  credentials, where every blank node (the subject, an identity object, a criteria or image object) has its
  own properties.

Anything else returns ``None`` and the caller takes pyld's general path: ``@list``, ``@graph``, ``@reverse``,
``@included``, ``@index``, ``@direction``, JSON literals, other number types, blank node ids written in the document
(``_:x``: nodes to merge), blank node predicates or types, and two blank nodes with the same first-degree hash
(the N-degree hashing of step 6).

What is avoided compared with pyld: the node map (a second copy of the tree), a dict per RDF term, deep
copies of terms while hashing, and serialising each quad once per blank node it mentions.  N-Quads are
written with pyld's own escaping (``to_nquad``: backslash, tab, newline, carriage return and double quote
only), so the bytes are the same.  ``tests/openbadges/test_canonical_form.py`` compares the two on varied
credentials.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_DOUBLE_EXPONENT = re.compile(r"(\d)0*E\+?0*(\d)").sub

# pyld's _is_absolute_iri, with re.match semantics ("$" also matches before a final newline)
_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$").match
_VALUE_KEYS = frozenset(["@value", "@type", "@language"])


class _Unsupported(Exception):
    """The document has a shape the fast path does not handle; pyld's general path does."""


def _literal(item: dict) -> str:
    value = item["@value"]
    datatype = item.get("@type")
    if datatype is not None and not isinstance(datatype, str) or datatype == "@json":
        raise _Unsupported
    # the order of pyld's _object_to_rdf: booleans, doubles (or anything typed xsd:double), integers
    if value is True or value is False:
        text, datatype = ("true" if value else "false"), datatype or _XSD_BOOLEAN
    elif type(value) is float or (datatype == _XSD_DOUBLE and type(value) is int):
        text, datatype = _DOUBLE_EXPONENT("\\1E\\2", "%1.15E" % value), datatype or _XSD_DOUBLE  # noqa: UP031 (as pyld)
    elif type(value) is int:
        text, datatype = str(value), datatype or _XSD_INTEGER
    elif type(value) is str and datatype != _XSD_DOUBLE:
        text = value
    else:
        raise _Unsupported
    if type(value) is not str:
        escaped, datatype_text = text, datatype
    else:
        escaped = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace('"', '\\"')
        )
        if "@language" in item and datatype is None:
            language = item["@language"]
            if not isinstance(language, str):
                raise _Unsupported
            return f'"{escaped}"@{language}' if language else f'"{escaped}"'
        datatype_text = datatype or _XSD_STRING
    if datatype_text == _RDF_LANGSTRING:
        raise _Unsupported  # a language-tagged string without its language: pyld writes no tag; rare
    if datatype_text == _XSD_STRING:
        return f'"{escaped}"'
    return f'"{escaped}"^^<{datatype_text}>'


class _Quads:
    def __init__(self) -> None:
        self.quads: set[tuple[str, str, str]] = set()
        self.counter = 0

    def node(self, node: Any) -> str | None:
        """Add the quads of a node object; return its term (``<iri>`` or ``_:bN``), None for a relative IRI."""
        if type(node) is not dict:
            raise _Unsupported
        subject = node.get("@id")
        if subject is None:
            term = f"_:b{self.counter}"
            self.counter += 1
            absolute = True
        elif type(subject) is str and not subject.startswith("_:"):
            absolute = bool(_ABSOLUTE(subject))
            term = f"<{subject}>" if absolute else None
        else:
            raise _Unsupported
        add = self.quads.add
        for prop, items in node.items():
            if prop == "@id":
                continue
            if type(items) is not list:
                raise _Unsupported
            if prop == "@type":
                for type_ in items:
                    if type(type_) is not str or type_.startswith("_:"):
                        raise _Unsupported
                    if absolute and _ABSOLUTE(type_):
                        add((term, RDF_TYPE, f"<{type_}>"))
                continue
            if prop[:1] == "@" or prop.startswith("_:"):
                raise _Unsupported
            predicate_ok = absolute and _ABSOLUTE(prop)
            predicate = f"<{prop}>"
            for item in items:
                if type(item) is not dict:
                    raise _Unsupported
                if "@value" in item:
                    if not item.keys() <= _VALUE_KEYS:
                        raise _Unsupported
                    obj = _literal(item)
                elif "@list" in item or "@set" in item:
                    raise _Unsupported
                else:
                    obj = self.node(item)
                if obj is not None and predicate_ok:
                    add((term, predicate, obj))
        return term


def _first_degree_hash(bnode: str, quads: list[tuple[str, str, str]]) -> str:
    lines = []
    for s, p, o in quads:
        if s[0] == "_":
            s = "_:a" if s == bnode else "_:z"
        if o[0] == "_":
            o = "_:a" if o == bnode else "_:z"
        lines.append(f"{s} {p} {o} .\n")
    lines.sort()
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def canonical_nquads(expanded: list) -> str | None:
    """Canonical N-Quads of an expanded document (a list of node objects), or None if pyld must do it."""
    builder = _Quads()
    try:
        for node in expanded:
            builder.node(node)
    except (_Unsupported, AttributeError, TypeError):
        return None
    quads = builder.quads
    mentions: dict[str, list[tuple[str, str, str]]] = {}
    for quad in quads:
        s, _p, o = quad
        if s[0] == "_":
            mentions.setdefault(s, []).append(quad)
        if o[0] == "_":  # twice for a quad from a blank node to itself, as pyld
            mentions.setdefault(o, []).append(quad)
    by_hash: dict[str, str] = {}
    for bnode, its_quads in mentions.items():
        digest = _first_degree_hash(bnode, its_quads)
        if digest in by_hash:
            return None  # two blank nodes look alike: step 6 (N-degree hashes), pyld's general path
        by_hash[digest] = bnode
    canonical = {bnode: f"_:c14n{i}" for i, (_digest, bnode) in enumerate(sorted(by_hash.items()))}
    lines = []
    for s, p, o in quads:
        if s[0] == "_":
            s = canonical[s]
        if o[0] == "_":
            o = canonical[o]
        lines.append(f"{s} {p} {o} .\n")
    lines.sort()
    return "".join(lines)
