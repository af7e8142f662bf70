"""The header's language links (config.views.language): a GET per language sets the language cookie and goes back
to the page, only ever to a path on this site; the current language is marked for screen readers."""

import re

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_header_offers_one_link_per_language_with_the_current_one_marked(client):
    html = client.get("/", {"q": "ébène", "programme": "x"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    nav = re.search(r'<nav class="lang" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert nav[1] == "Langue"
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+" rel="nofollow"( aria-current="true")?>', nav[2])
    assert [lang for _href, lang, _current in links] == [code for code, _name in settings.LANGUAGES]
    assert [lang for _href, lang, current in links if current] == ["fr"]
    assert links[0][0] == "/i18n/language/en/?next=/%3Fq%3D%25C3%25A9b%25C3%25A8ne%26programme%3Dx"
    assert "csrfmiddlewaretoken" not in html and 'id="language-select"' not in html


def test_a_link_sets_the_cookie_and_returns_to_the_page_with_its_query():
    client = Client()
    response = client.get("/i18n/language/es/", {"next": "/?q=ébène&programme=x"})
    assert response.status_code == 302 and response["Location"] == "/?q=%C3%A9b%C3%A8ne&programme=x"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es" and cookie["path"] == settings.LANGUAGE_COOKIE_PATH
    assert "no-cache" in response["Cache-Control"]
    assert 'lang="es"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "///evil.example",
        "/\t/evil.example",
        "",
    ],
)
def test_a_next_off_this_site_goes_home_instead(next_url):
    response = Client().get("/i18n/language/fr/", {"next": next_url})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_no_next_goes_home_and_an_unknown_language_is_a_404():
    assert Client().get("/i18n/language/fr/")["Location"] == "/"
    response = Client().get("/i18n/language/xx/", {"next": "/"})
    assert response.status_code == 404 and settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_only_get_and_head():
    assert Client().post("/i18n/language/fr/", {"next": "/"}).status_code == 405
    assert Client().head("/i18n/language/fr/?next=/").status_code == 302
