"""multilingual.text: translated texts with a fallback to the original, and the language a text is in."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from multilingual.text import (
    available_languages,
    content_language,
    in_language,
    is_complete_in,
    language_code,
    translated,
    unwrap,
)


def thing(**translations):
    tier = SimpleNamespace(name="Diploma", translations={"fr": {"name": "Diplôme"}}, translatable_fields=("name",))
    return SimpleNamespace(
        name="Negotiation", description="Negotiates.", criteria="", language="en", tier=tier, level=2,
        translations=translations, translatable_fields=("name", "description", "criteria"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "code"), [("fr", "fr"), ("fr-CA", "fr"), ("ES_es", "es"), ("de", ""), ("", ""), (None, "")]
)
def test_language_code(raw, code):
    assert language_code(raw) == code


def test_translated_falls_back_field_by_field():
    obj = thing(fr={"name": "Négociation", "description": "  "})
    assert translated(obj, "name", "fr") == "Négociation"
    assert translated(obj, "description", "fr") == "Negotiates."  # blank: the original
    assert translated(obj, "name", "es") == "Negotiation"  # no Spanish
    assert translated(obj, "name", "en") == "Negotiation"
    with translation.override("fr"):
        assert translated(obj, "name") == "Négociation"


def test_a_text_is_in_a_language_only_when_every_original_text_is_translated():
    partial = thing(fr={"name": "Négociation"})
    assert not is_complete_in(partial, "fr") and content_language(partial, "fr") == "en"
    complete = thing(fr={"name": "Négociation", "description": "Négocie."})  # criteria is empty: nothing to translate
    assert is_complete_in(complete, "fr") and content_language(complete, "fr") == "fr"
    assert content_language(complete, "de") == "en" and content_language(complete, "en") == "en"
    assert available_languages(complete) == ["en", "fr"]


def test_in_language_views_related_objects_and_is_read_only():
    obj = thing(fr={"name": "Négociation"})
    view = in_language(obj, "fr")
    assert (view.name, view.description, view.level, view.tier.name) == ("Négociation", "Negotiates.", 2, "Diplôme")
    assert str(view) == "Négociation" and unwrap(view) is obj and in_language(view, "en").name == "Negotiation"
    with pytest.raises(AttributeError):
        view.name = "x"
    assert in_language(None) is None
