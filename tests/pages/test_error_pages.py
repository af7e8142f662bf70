"""Laurel's own error pages (issue 15.3): 404, 403, CSRF failure and 500 are branded, translated, say what to do,
and the 500 page renders without the request context (DEBUG=False, as in production)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.test import Client
from django.urls import path

import config.urls


def _forbidden(request):
    raise PermissionDenied("Only the programme's issuers may do this.")


def _broken(request):
    raise DatabaseError("the database went away")


# A URLconf for these tests: Laurel's own, its handlers, and two views that fail on purpose.
urlpatterns = [path("test-forbidden/", _forbidden), path("test-broken/", _broken), *config.urls.urlpatterns]
handler404 = config.urls.handler404
handler403 = config.urls.handler403
handler500 = config.urls.handler500


@pytest.fixture
def error_urls(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


pytestmark = pytest.mark.django_db


def test_a_mistyped_credential_address_says_what_was_not_found_and_what_to_do(client, settings):
    settings.DEBUG = False
    response = client.get("/c/not-a-real-credential/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No credential at this address" in html
    assert "Copy the whole link again" in html
    assert 'href="/verify/"' in html  # verify a file instead
    assert 'class="site-header"' in html and "Skip to content" in html  # the site's frame, not Django's default
    assert "<h1>Not Found</h1>" not in html


def test_any_unknown_page_gets_the_branded_404_in_the_visitors_language(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Retour à l’accueil" in html  # "Back to the home page", translated
    assert "No credential at this address" not in html


def test_403_is_branded_and_keeps_the_reason(client, error_urls):
    response = client.get("/test-forbidden/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only the programme&#x27;s issuers may do this." in html
    assert "Nothing was changed." in html and 'class="site-header"' in html
    assert "/accounts/login/?next=/test-forbidden/" in html  # an anonymous visitor is offered to sign in


def test_a_refused_csrf_token_explains_itself(settings, db):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "fr"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "Allow cookies for this site" in html  # no CSRF cookie was sent
    assert 'class="site-header"' in html
    assert "CSRF verification failed" not in html  # not Django's technical page


def test_500_page_is_branded_and_renders_without_the_request_context(client, error_urls):
    client.raise_request_exception = False
    response = client.get("/test-broken/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'id="error-heading"' in html  # Laurel's page (its words are translated by the lead)
    assert '<html lang="fr"' in html  # translated into the visitor's language
    assert 'class="brand" href="/"' in html and "/static/css/laurel.css" in html
    assert "Server Error (500)" not in html


def test_500_page_falls_back_to_fixed_html_if_its_template_fails(client, error_urls, monkeypatch):
    from config import errors

    def broken_template(name):
        raise RuntimeError("template engine broken")

    monkeypatch.setattr(errors.loader, "get_template", broken_template)
    client.raise_request_exception = False
    response = client.get("/test-broken/")
    assert response.status_code == 500
    assert b"Please try again later." in response.content


def test_the_429_page_is_branded_too(db):
    from django.test import RequestFactory

    from config.throttle import too_many_requests

    response = too_many_requests(RequestFactory().get("/verify/"), retry_after=120)
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == "120"
    assert "Try again in 2 minutes." in html and 'class="site-header"' in html
