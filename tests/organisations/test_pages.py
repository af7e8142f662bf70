"""The pages through the test client: the public organisation page (no member data), the admins' page (profile,
logo, invitations, members' shared credentials, rule progress), the learner's page (share, unshare, leave),
invitation links (good, forged, expired, used, another account) and the console (roles and programmes)."""

import io

import pytest
from django.test import Client
from PIL import Image

from organisations.models import Organisation, OrganisationMember, OrganisationRule, SharedCredential
from organisations.services import credential_share, invitation_send
from organisations.tokens import invite_tokens, link_token

from .conftest import issue_to_organisation


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def png(width=64, height=64) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 80, 160)).save(out, format="PNG")
    return out.getvalue()


def upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")


def share_all(world, *keys):
    for key in keys:
        credential_share(member=world.members[key], award=world.held[key], user=world.users[key])


def test_public_page_shows_the_organisations_wallet_and_no_member_data(world, client):
    award = issue_to_organisation(world.institutional, world.organisation)
    share_all(world, "m1")
    response = client.get("/organisations/ministry/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ministry of Labour" in text and "Ghana" in text and f"/c/{award.public_id}/" in text
    assert "4 members on Laurel" in text
    assert "Member m1" not in text and world.held["m1"].public_id not in text and "Manage this organisation" not in text
    assert client.get("/organisations/nobody/").status_code == 404


def test_public_page_query_budget_does_not_grow(world, client, django_assert_max_num_queries):
    for _ in range(5):
        issue_to_organisation(world.institutional, world.organisation)
    with django_assert_max_num_queries(3):  # the organisation, its wallet (anonymous: no session)
        assert client.get("/organisations/ministry/").status_code == 200


def test_admin_page_lists_members_shares_and_progress_within_a_query_budget(
    world, django_assert_max_num_queries, inline_tasks
):
    world.rule()
    share_all(world, "m1", "m2", "m3", "m4")
    admin = client_of(world.users["admin"])
    with django_assert_max_num_queries(20):  # whatever the number of members, shares and rules
        response = admin.get("/organisations/ministry/manage/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Member m1" in text and world.held["m3"].public_id in text
    assert "4 of 3 staff hold “Social Dialogue”" in text and "does not hold “Institutional Programme” yet" in text


@pytest.mark.parametrize("who", ["m1", "outsider", "viewer", "other_manager"])
def test_admin_page_refuses_others(world, who):
    client = client_of(world.users[who])
    assert client.get("/organisations/ministry/manage/").status_code == 403
    response = client.post("/organisations/ministry/manage/", {"name": "Hijacked", "country": "FR"})
    assert response.status_code == 403
    assert Organisation.objects.get().name == "Ministry of Labour"
    assert Client().get("/organisations/ministry/manage/").status_code == 302  # signed out: sign in


def _profile(client, **extra):
    data = {"name": "Ministry of Labour and Employment", "country": "GH", "sector": "Labour",
            "website": "https://labour.example.org", "description": "We train inspectors.", **extra}  # fmt: skip
    return client.post("/organisations/ministry/manage/", data)


def test_admin_changes_the_profile_and_logo(world):
    admin = client_of(world.users["admin"])
    response = _profile(admin, logo_upload=upload(png(), "logo.png"))
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.name == "Ministry of Labour and Employment" and organisation.logo.name.endswith(".png")
    with organisation.logo.open("rb") as handle:
        assert Image.open(handle).size == (64, 64)
    page = Client().get("/organisations/ministry/").content.decode()
    assert organisation.logo.url in page


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>', "logo.svg",
         "PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "broken.png", "could not be read"),
        ("huge", "huge.png", "too large"),
        (b"x" * (2 * 1024 * 1024 + 10), "big.png", "larger than 2 MB"),
    ],
)  # fmt: skip
def test_bad_logos_are_refused_with_a_message(world, data, name, message):
    if data == "huge":  # 6000 × 6000 of one colour: a small file announcing 36 megapixels
        data = png(6000, 6000)
    admin = client_of(world.users["admin"])
    response = _profile(admin, logo_upload=upload(data, name))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Organisation.objects.get().logo


def test_bad_website_is_refused(world):
    response = _profile(client_of(world.users["admin"]), website="javascript:alert(1)")
    assert response.status_code == 400 and Organisation.objects.get().website == "https://ministry.example.org"


def test_invitation_by_the_admin_then_accepted_on_its_page(world):
    admin = client_of(world.users["admin"])
    response = admin.post(
        "/organisations/ministry/manage/invite/", {"email": "m5@example.org", "role": "member", "language": "fr"}
    )
    assert response.status_code == 302
    invite = world.organisation.invites.get()
    url = f"/organisations/invite/{link_token(invite)}/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 200 and "Sign in to accept" in anonymous.content.decode()
    wrong = client_of(world.users["outsider"]).post(url)
    assert wrong.status_code == 403 and "not a confirmed address of your account" in wrong.content.decode()
    member = client_of(world.users["m5"])
    assert member.post(url).status_code == 302
    assert OrganisationMember.objects.filter(user=world.users["m5"]).exists()
    used = member.post(url)  # the double submit
    assert used.status_code == 410 and "already accepted" in used.content.decode()
    assert OrganisationMember.objects.filter(user=world.users["m5"]).count() == 1


def test_forged_malformed_and_expired_invitation_links(world, settings, monkeypatch):
    invite = invitation_send(organisation=world.organisation, email="m5@example.org", role="member", actor=None)
    good = link_token(invite)
    client = client_of(world.users["m5"])
    for bad in ("nonsense", f"{invite.pk}.1-2", f"{invite.pk + 99}.{good.split('.', 1)[1]}", "9" * 40 + ".x-y"):
        response = client.get(f"/organisations/invite/{bad}/")
        assert response.status_code == 400 and "not a valid invitation" in response.content.decode()
    later = invite_tokens._now_seconds() + (settings.ORGANISATION_INVITE_DAYS + 1) * 86400
    monkeypatch.setattr(type(invite_tokens), "_now_seconds", lambda self: later)
    response = client.post(f"/organisations/invite/{good}/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not OrganisationMember.objects.filter(user=world.users["m5"]).exists()


def test_learner_shares_unshares_and_leaves(world):
    learner = client_of(world.users["m1"])
    page = learner.get("/organisations/mine/").content.decode()
    assert "Ministry of Labour" in page and "Social Dialogue" in page
    member = world.members["m1"]
    award = world.held["m1"].public_id
    for _ in range(2):  # the double submit
        assert (
            learner.post(f"/organisations/mine/{member.pk}/share/", {"award": award, "action": "share"}).status_code
            == 302
        )
    assert SharedCredential.objects.filter(member=member).count() == 1
    assert "Stop sharing" in learner.get("/organisations/mine/").content.decode()
    learner.post(f"/organisations/mine/{member.pk}/share/", {"award": award, "action": "unshare"})
    assert not SharedCredential.objects.exists()
    learner.post(f"/organisations/mine/{member.pk}/leave/")
    assert not OrganisationMember.objects.filter(pk=member.pk).exists()


def test_sharing_someone_elses_credential_or_as_someone_else_is_refused(world):
    learner = client_of(world.users["m1"])
    member = world.members["m1"]
    other = world.held["m2"].public_id
    assert (
        learner.post(f"/organisations/mine/{member.pk}/share/", {"award": other, "action": "share"}).status_code == 403
    )
    other_member = world.members["m2"]
    response = learner.post(f"/organisations/mine/{other_member.pk}/share/", {"award": other, "action": "share"})
    assert response.status_code == 404
    assert learner.post(f"/organisations/mine/{other_member.pk}/leave/").status_code == 404
    assert not SharedCredential.objects.exists() and OrganisationMember.objects.filter(pk=other_member.pk).exists()


def test_wallet_menu_links_my_organisations(world):
    page = client_of(world.users["m1"]).get("/wallet/").content.decode()
    assert 'href="/organisations/mine/"' in page


# --- the console -------------------------------------------------------------------------------------------


def test_console_manager_creates_an_organisation_and_invites_its_first_admin(world):
    manager = client_of(world.users["manager"])
    page = manager.get("/staff/p/social-dialogue/organisations/")
    assert page.status_code == 200 and "Ministry of Labour" in page.content.decode()
    response = manager.post(
        "/staff/p/social-dialogue/organisations/new/",
        {"name": "Trade Union Federation", "slug": "tuf", "country": "KE", "email": "creds@tuf.example.org",
         "admin_email": "outsider@example.org", "language": "en"},
    )  # fmt: skip
    assert response.status_code == 302
    created = Organisation.objects.get(slug="tuf")
    assert created.invites.get().email == "outsider@example.org"
    bad = manager.post("/staff/p/social-dialogue/organisations/new/", {"name": "", "slug": "tuf", "language": "en"})
    assert bad.status_code == 400


def test_console_manager_defines_a_rule(world, inline_tasks):
    manager = client_of(world.users["manager"])
    form = manager.get("/staff/p/social-dialogue/organisations/rules/new/").content.decode()
    assert "Learning Organisation" in form
    response = manager.post(
        "/staff/p/social-dialogue/organisations/rules/new/",
        {"name": "Pathway", "result": world.result.pk, "required_achievements": [world.institutional.pk],
         "member_1": world.dialogue.pk, "minimum_1": 2},
    )  # fmt: skip
    assert response.status_code == 302
    rule = OrganisationRule.objects.get()
    assert [(r.achievement, r.minimum) for r in rule.requirements.all()] == [(world.dialogue, 2)]
    bad = manager.post("/staff/p/social-dialogue/organisations/rules/new/", {"name": "Bad", "result": world.result.pk})
    assert bad.status_code == 400 and "at least one credential" in bad.content.decode()
    manager.post(f"/staff/p/social-dialogue/organisations/rules/{rule.pk}/active/", {"active": "0"})
    rule.refresh_from_db()
    assert not rule.is_active


@pytest.mark.parametrize(
    "who, url, status",
    [
        ("viewer", "/staff/p/social-dialogue/organisations/", 200),
        ("viewer", "/staff/p/social-dialogue/organisations/new/", 403),
        ("viewer", "/staff/p/social-dialogue/organisations/rules/new/", 403),
        ("other_manager", "/staff/p/social-dialogue/organisations/", 404),
        ("other_manager", "/staff/p/social-dialogue/organisations/new/", 404),
        ("m1", "/staff/p/social-dialogue/organisations/", 403),
        ("admin", "/staff/p/social-dialogue/organisations/new/", 403),
    ],
)
def test_console_refuses_the_wrong_role_or_programme(world, who, url, status):
    client = client_of(world.users[who])
    assert client.get(url).status_code == status
    response = client.post(url, {"name": "X", "slug": "x", "country": "FR", "email": "x@example.org", "language": "en"})
    assert response.status_code == (status if status != 200 else 200)
    assert not Organisation.objects.filter(slug="x").exists()


def test_admin_removes_a_member_and_cancels_an_invitation_others_cannot(world):
    invite = invitation_send(organisation=world.organisation, email="m5@example.org", role="member", actor=None)
    member = world.members["m2"]
    outsider = client_of(world.users["m1"])  # a member, not an admin
    assert outsider.post(f"/organisations/ministry/manage/member/{member.pk}/remove/").status_code == 403
    admin = client_of(world.users["admin"])
    assert admin.get(f"/organisations/ministry/manage/member/{member.pk}/remove/").status_code == 405
    assert admin.post(f"/organisations/ministry/manage/member/{member.pk}/remove/").status_code == 302
    assert not OrganisationMember.objects.filter(pk=member.pk).exists()
    assert admin.post(f"/organisations/ministry/manage/invite/{invite.pk}/remove/").status_code == 302
    invite.refresh_from_db()
    assert invite.state == "cancelled"
    assert admin.post("/organisations/ministry/manage/nothing/1/remove/").status_code == 404
    last = world.organisation.admins.get()
    response = admin.post(f"/organisations/ministry/manage/admin/{last.pk}/remove/", follow=True)
    assert "Invite another admin before removing the last one." in response.content.decode()
