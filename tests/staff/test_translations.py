"""Staff edit an achievement's translations in the console editor (issue 15.2)."""

import pytest

from credentials.models import Achievement

from .conftest import client_for
from .test_console import _design, url

pytestmark = pytest.mark.django_db


def test_the_editor_saves_and_shows_french_and_spanish_texts(console):
    client = client_for(console.users["manager"])
    page = client.get(url("achievement_new", console)).content.decode()
    assert 'name="name__fr"' in page and 'name="description__es"' in page and 'name="name__en"' not in page
    response = client.post(url("achievement_new", console), _design(
        console, name__fr="Soin des plaies", description__fr="Nettoie et panse les plaies en toute sécurité.",
        name__es="Cuidado de heridas", description__es="   "))  # fmt: skip
    assert response.status_code == 302
    achievement = Achievement.objects.get(name="Wound Care")
    assert achievement.translations == {
        "fr": {"name": "Soin des plaies", "description": "Nettoie et panse les plaies en toute sécurité."},
        "es": {"name": "Cuidado de heridas"},
    }
    edit = client.get(url("achievement_edit", console, pk=achievement.pk)).content.decode()
    assert 'value="Soin des plaies"' in edit and '<details class="translations" open>' in edit


def test_a_french_original_takes_no_french_translation(console):
    client = client_for(console.users["manager"])
    response = client.post(url("achievement_new", console), _design(console, language="fr", name__fr="Ignored"))
    assert response.status_code == 302
    achievement = Achievement.objects.get(name="Wound Care")
    assert achievement.translations == {}  # the original is French: its own fields are the French text
    edit_url = url("achievement_edit", console, pk=achievement.pk)
    edit = client.get(edit_url).content.decode()
    assert 'name="name__en"' in edit and 'name="name__fr"' not in edit
    response = client.post(edit_url, _design(console, language="fr", name__en="Wound Care (English)"))
    assert response.status_code == 302
    achievement.refresh_from_db()
    assert achievement.translations == {"en": {"name": "Wound Care (English)"}}


def test_a_translated_name_too_long_is_a_form_error(console):
    client = client_for(console.users["manager"])
    response = client.post(url("achievement_new", console), _design(console, name__fr="x" * 201))
    assert response.status_code == 400
    assert not Achievement.objects.filter(name="Wound Care").exists()
    assert "at most 200 characters" in response.content.decode()


def test_the_achievement_page_lists_its_languages(console):
    achievement = console.achievement
    achievement.translations = {"fr": {"name": "Soin des plaies"}}
    achievement.save()
    page = client_for(console.users["viewer"]).get(url("achievement", console, pk=achievement.pk)).content.decode()
    assert "English (original), French (partly translated: credentials are signed in the original)" in page


def test_the_console_names_programmes_in_the_staff_member_s_language(console):
    console.a.translations = {"fr": {"name": "Soins infirmiers"}}
    console.a.save()
    client = client_for(console.users["manager"])
    french = client.get(url("home", console), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Soins infirmiers" in french
    english = client.get(url("home", console), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Soins infirmiers" not in english and "Nursing" in english
