"""Reading translated content: `translated(obj, "name", "fr")`, `in_language(obj, "fr")` (a read-only view of
the object whose translatable attributes are in that language), with a fallback to the original text.

An object is translatable when it has a `translations` dict and a `translatable_fields` tuple (the
`models.Translatable` mixin). Its original language is its `language` field when it has one, else
settings.LANGUAGE_CODE.
"""

from django.conf import settings
from django.utils import translation


def language_code(lang: str | None) -> str:
    """ "fr-ca" → "fr"; an unknown or empty language → ""."""
    code = (lang or "").lower().replace("_", "-").split("-")[0]
    return code if code in dict(settings.LANGUAGES) else ""


def active_language() -> str:
    return language_code(translation.get_language()) or language_code(settings.LANGUAGE_CODE)


def original_language(obj) -> str:
    return language_code(getattr(obj, "language", "")) or language_code(settings.LANGUAGE_CODE)


def is_translatable(obj) -> bool:
    return isinstance(getattr(obj, "translations", None), dict) and bool(getattr(obj, "translatable_fields", ()))


def translated(obj, field: str, lang: str | None = None) -> str:
    """`obj.<field>` in `lang` (default: the active language) when a translation exists, else the original."""
    original = getattr(obj, field)
    translations = getattr(obj, "translations", None)
    if not translations or not isinstance(translations, dict) or field not in getattr(obj, "translatable_fields", ()):
        return original  # the common case, first: nothing translated (a wallet page asks 300 times)
    code = language_code(lang) if lang is not None else active_language()
    if not code or code == original_language(obj):
        return original
    text = (translations.get(code) or {}).get(field)
    return text if isinstance(text, str) and text.strip() else original


def is_complete_in(obj, lang: str | None, fields: tuple[str, ...] | None = None) -> bool:
    """Whether every field of `fields` (default: all translatable ones) that has an original text has a
    translation in `lang` (always true for the original language)."""
    code = language_code(lang)
    if not code:
        return False
    if code == original_language(obj):
        return True
    if not is_translatable(obj):
        return False
    entry = obj.translations.get(code) or {}
    for field in fields or obj.translatable_fields:
        if (getattr(obj, field) or "").strip() and not str(entry.get(field) or "").strip():
            return False
    return True


def content_language(obj, lang: str | None, fields: tuple[str, ...] | None = None) -> str:
    """The language a text made of `obj`'s fields is in for someone who reads `lang`: `lang` when the object is
    fully translated into it (no half-translated signed document), else the original language."""
    code = language_code(lang)
    return code if code and is_complete_in(obj, code, fields) else original_language(obj)


def available_languages(obj) -> list[str]:
    """The original language, then every language with a translation, in settings.LANGUAGES order."""
    original = original_language(obj)
    have = set(obj.translations) if is_translatable(obj) else set()
    return [original] + [code for code, _name in settings.LANGUAGES if code != original and code in have]


class InLanguage:
    """A read-only view of `obj` in `lang`: its translatable fields translated (with fallback), every other
    attribute the object's own; related translatable objects (a tier, a category) are viewed in `lang` too.
    Templates and builders read it as they read the object."""

    __slots__ = ("_obj", "_lang")

    def __init__(self, obj, lang: str):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_lang", lang)

    def __getattr__(self, name):
        obj = object.__getattribute__(self, "_obj")
        lang = object.__getattribute__(self, "_lang")
        if name in getattr(obj, "translatable_fields", ()):
            return translated(obj, name, lang)
        value = getattr(obj, name)
        if is_translatable(value):
            return InLanguage(value, lang)
        return value

    def __setattr__(self, name, value):
        raise AttributeError("a translated view is read-only")

    def __str__(self):
        obj = object.__getattribute__(self, "_obj")
        fields = getattr(obj, "translatable_fields", ())
        return self.name if "name" in fields else str(obj)

    def __eq__(self, other):
        return unwrap(self) == unwrap(other)

    def __hash__(self):
        return hash(unwrap(self))

    @property
    def content_language(self) -> str:
        obj = object.__getattribute__(self, "_obj")
        return content_language(obj, object.__getattribute__(self, "_lang"))


def in_language(obj, lang: str | None = None):
    """`obj` viewed in `lang` (default: the active language); None stays None."""
    if obj is None:
        return None
    return InLanguage(unwrap(obj), language_code(lang) if lang is not None else active_language())


def unwrap(obj):
    return object.__getattribute__(obj, "_obj") if isinstance(obj, InLanguage) else obj
