"""Verification pages and status lists from the page cache (credentials/verification/page_cache.py): served
without a query, invalidated by every change that shows on them, per language, never sharing a visitor's CSRF
token or a holder's own page; with no form on them, public for caches on the way."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credentials.services import Recipient, award_issue, award_reissue, award_revoke
from credentials.verification import page_cache

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


@pytest.fixture
def award(achievement):
    return award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo"))


def get(url, client=None, **headers):
    """A page and the queries it took."""
    client = client or Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_USER_AGENT=BROWSER, **headers)
    response.queries = len(captured)
    return response


def text(response) -> str:
    return response.content.decode()


def test_a_miss_takes_at_most_five_queries_and_a_hit_none(award, django_assert_max_num_queries):
    url = award.get_absolute_url()
    Client().get(f"{url}?warm=1")  # the status list signed once, the achievement image rendered once
    with django_assert_max_num_queries(5):
        first = Client().get(url, HTTP_USER_AGENT=BROWSER)
    second = get(url)
    assert first.status_code == second.status_code == 200
    assert second.queries == 0
    assert "Verified" in text(second) and "Amina Okonkwo" in text(second)
    assert text(first) == text(second)  # no per-visitor token: the same bytes
    assert second["ETag"] == first["ETag"]


def test_every_view_is_counted_also_from_the_cache(award):
    from analytics import buffer
    from analytics.models import AwardDayCount

    caches["analytics"].clear()  # another test's views
    for _ in range(3):
        get(award.get_absolute_url())
    buffer.flush()
    assert AwardDayCount.objects.get(award=award).count == 3  # one rendered, two from the cache


def test_revocation_shows_on_the_very_next_request(award):
    url = award.get_absolute_url()
    assert "Verified" in text(get(url))
    award_revoke(award=award, reason="Issued in error")
    page = text(get(url))
    assert "Revoked" in page and "Issued in error" in page and "Verified" not in page


def test_revocation_committed_while_a_page_renders_is_not_outlived(award, monkeypatch):
    """The page read the old rows; the change commits before it is stored: it is stored under the old token."""
    from credentials import views

    render = views.render
    url = award.get_absolute_url()

    def render_then_revoke(*args, **kwargs):
        response = render(*args, **kwargs)
        monkeypatch.setattr(views, "render", render)
        award_revoke(award=award, reason="Issued in error")
        return response

    monkeypatch.setattr(views, "render", render_then_revoke)
    assert "Verified" in text(get(url))
    assert "Issued in error" in text(get(url))


def test_expiry_passing_shows_without_any_write(achievement, monkeypatch):
    award = award_issue(
        achievement=achievement,
        recipient=Recipient(email="amina@example.org", name="Amina", expires_at=timezone.now() + timedelta(minutes=10)),
    )
    url = award.get_absolute_url()
    assert "Verified" in text(get(url))
    later = timezone.now() + timedelta(minutes=11)  # well within PAGE_CACHE_SECONDS
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(page_cache.time, "time", later.timestamp)
    page = text(get(url))
    assert "Expired" in page and "Verified" not in page


def test_a_reissue_shows_the_correction_on_the_old_page(award):
    url = award.get_absolute_url()
    get(url)
    corrected = award_reissue(award=award, reason="Name misspelt", name="Amina Okonkwo-Díaz")
    page = text(get(url))
    assert corrected.get_absolute_url() in page and "Name misspelt" in page


def test_issuer_profile_changes_show(award):
    from credentials.services import issuer_update

    url = award.get_absolute_url()
    get(url)
    issuer = award.achievement.issuer
    issuer.name = "Renamed Training Centre"
    issuer_update(issuer=issuer)
    assert "Renamed Training Centre" in text(get(url))


def test_framework_and_template_changes_show(award):
    url = award.get_absolute_url()
    before = text(get(url))
    category = award.achievement.category
    category.name = "Renamed category"
    category.svg_template = category.svg_template.replace("</svg>", "<rect width='1' height='1'/></svg>")
    category.save()
    after = text(get(url))
    assert "Renamed category" in after
    image = re.compile(r'class="badge-image" src="([^"]+)"')
    assert image.search(before)[1] != image.search(after)[1]  # the image's content address changed


def test_a_deploy_with_other_templates_renders_again(award, monkeypatch):
    url = award.get_absolute_url()
    get(url)
    assert get(url).queries == 0
    monkeypatch.setattr(page_cache, "_fingerprint", "another-deploy")
    assert get(url).queries > 0


def test_each_language_has_its_page(award):
    url = award.get_absolute_url()
    english = get(url, HTTP_ACCEPT_LANGUAGE="en")
    french = get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert 'lang="fr"' in text(french) and 'lang="en"' in text(english)
    again = get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert again.queries == 0 and 'lang="fr"' in text(again)
    assert "Accept-Language" in again["Vary"] and "Cookie" in again["Vary"]


def test_the_page_has_no_csrf_token_and_is_public(award):
    url = award.get_absolute_url()
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        page = get(url, client)
        assert "csrfmiddlewaretoken" not in text(page) and not page.cookies
        assert page["Cache-Control"].startswith("public") and "max-age=30" in page["Cache-Control"]
        assert "Cookie" in page["Vary"] and "Accept-Language" in page["Vary"]
    assert page["X-Page-Cache"] == "hit"


def test_the_language_links_switch_the_cached_page(award):
    url = award.get_absolute_url()
    client = Client()
    english = text(get(url, client))
    link = re.search(r'<a href="(/i18n/language/fr/\?next=[^"]+)" lang="fr"', english)[1].replace("&amp;", "&")
    assert re.search(r'lang="en" hreflang="en" rel="nofollow" aria-current="true"', english)
    answer = client.get(link)
    assert answer.status_code == 302 and answer["Location"] == url
    assert "no-cache" in answer["Cache-Control"]
    french = get(url, client)
    assert 'lang="fr"' in text(french) and re.search(r'hreflang="fr" rel="nofollow" aria-current="true"', text(french))
    assert get(url, client).queries == 0  # the French page from the cache for the visitor with the cookie


def test_a_page_with_a_csrf_token_keeps_it_per_visitor_and_private(award, rf):
    """A form with a CSRF token on a cached page (none today) is stored with a placeholder: never shared."""
    from django.http import HttpResponse

    def view(request, public_id):
        from django.middleware.csrf import get_token

        body = f'<form><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}"></form>'
        return page_cache.remember(HttpResponse(body, content_type="text/html; charset=utf-8"), award)

    cached_view = page_cache.cached(when=lambda request: True)(view)
    tokens = []
    for _ in range(2):
        request = rf.get(f"/c/{award.public_id}/")
        response = cached_view(request, award.public_id)
        token = re.search(r'value="([^"]+)"', response.content.decode())[1]
        assert token != page_cache.CSRF_PLACEHOLDER
        assert response["Cache-Control"].startswith("private")
        tokens.append(token)
    assert tokens[0] != tokens[1]
    assert page_cache.CSRF_PLACEHOLDER.encode() in caches["pages"].get(page_cache._page_key(award.public_id, "en")).body


def test_conditional_requests_answer_304(award):
    url = award.get_absolute_url()
    first = get(url)
    assert first["Cache-Control"].startswith("public") and "max-age=30" in first["Cache-Control"]
    assert get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    award_revoke(award=award, reason="Issued in error")
    changed = get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Revoked" in text(changed)


def test_browsers_keep_a_page_no_longer_than_until_it_expires(achievement):
    soon = timezone.now() + timedelta(seconds=12)
    award = award_issue(achievement=achievement, recipient=Recipient(email="a@example.org", name="A", expires_at=soon))
    max_age = int(re.search(r"max-age=(\d+)", get(award.get_absolute_url())["Cache-Control"])[1])
    assert 0 <= max_age <= 12


def test_the_holder_signed_in_gets_their_own_page(award, django_user_model):
    from allauth.account.models import EmailAddress

    url = award.get_absolute_url()
    get(url)  # cached for visitors
    holder = django_user_model.objects.create_user("amina", "amina@example.org", "pw")
    EmailAddress.objects.create(user=holder, email="amina@example.org", verified=True, primary=True)
    client = Client()
    client.force_login(holder)
    own = get(url, client)
    assert own.queries > 0 and "Sign out" in text(own)
    assert "no-cache" in own["Cache-Control"] and "private" in own["Cache-Control"]
    assert "Sign out" not in text(get(url))  # visitors still get the shared page


def test_messages_query_strings_and_json_are_not_cached(award):
    url = award.get_absolute_url()
    get(url)
    client = Client()
    client.cookies["messages"] = "x"
    assert get(url, client).queries > 0
    assert get(f"{url}?utm_source=linkedin").queries > 0
    json = get(url, HTTP_ACCEPT="application/vc+ld+json")
    assert json["Content-Type"] == "application/vc+ld+json" and json.json()["id"]


def test_no_cache_when_disabled(award, settings):
    settings.PAGE_CACHE_ENABLED = False
    url = award.get_absolute_url()
    get(url)
    assert get(url).queries > 0


def test_the_status_list_is_kept_until_it_changes(award):
    url = award.status_list.get_absolute_url()
    first = get(url)
    assert first.status_code == 200 and "public" in first["Cache-Control"]
    again = get(url)
    assert again.queries == 0 and again.content == first.content
    assert get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    award_revoke(award=award, reason="Issued in error")
    changed = get(url)
    assert changed.content != first.content and changed["ETag"] != first["ETag"]


def test_content_addressed_image_is_immutable(award):
    from credentials.artifacts import images

    achievement = award.achievement
    digest = images.achievement_png_digest(achievement)
    response = Client().get(f"/achievements/{achievement.slug}/image-{digest}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = Client().get(f"/achievements/{achievement.slug}/image-0000000000000000.png")
    assert stale.status_code == 302 and stale["Location"].endswith(f"image-{digest}.png")
    assert Client().get("/achievements/no-such-badge/image-0000000000000000.png").status_code == 404


def test_the_embedded_default_shares_pages_through_a_directory(award, settings, tmp_path):
    """Without Redis, the server and a separate worker process share pages and tokens through files."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    assert type(caches["pages"]).__name__ == "FileBasedCache"  # Django's setting_changed resets the handler
    url = award.get_absolute_url()
    get(url)
    hit = get(url)
    assert hit.queries == 0 and hit["X-Page-Cache"] == "hit"
    assert any(tmp_path.iterdir())
    award_revoke(award=award, reason="Issued in error")
    assert "Issued in error" in text(get(url))
