"""The Team pages: managers only, accessible forms, every bad path a page and never a 500."""

import pytest
from django.urls import reverse

from programmes import services
from programmes.models import StaffInvite, StaffRole
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def team_url(w, key="a"):
    return reverse("programmes:team", kwargs={"programme": getattr(w, key).programme.slug})


def test_who_may_open_the_team_page(two, client):
    url = team_url(two)
    assert client.get(url)["Location"].startswith("/accounts/login/")
    expected = {"manager of A": 200, "platform admin": 200, "viewer of A": 403, "issuer of A": 403,
                "manager of B": 404, "issuer of B": 404, "none": 404}  # fmt: skip
    for who, status in expected.items():
        assert logged_in(two.people[who]).get(url).status_code == status, who
    assert logged_in(two.people["manager of A"]).get("/staff/p/no-such/team/").status_code == 404


def test_the_page_lists_staff_and_invitations_with_labelled_controls(two):
    services.staff_invite_create(programme=two.a.programme, email="zoe@example.org", role="viewer")
    page = logged_in(two.people["manager of A"]).get(team_url(two)).content.decode()
    assert "<h1>Team of Social Protection</h1>" in page
    for text in ("viewer.a@example.org", "issuer.a@example.org", "zoe@example.org", 'for="id_email"',
                 'for="role-', "Withdraw", "Send the invitation"):  # fmt: skip
        assert text in page
    assert "viewer.b@example.org" not in page


def test_invite_change_remove_withdraw_through_the_pages(two, django_capture_on_commit_callbacks):
    from django.core import mail

    client, programme = logged_in(two.people["manager of A"]), two.a.programme
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programmes:invite", kwargs={"programme": programme.slug}),
                               {"email": "zoe@example.org", "role": "issuer", "language": "en"})  # fmt: skip
    assert response.status_code == 302 and [m.to for m in mail.outbox] == [["zoe@example.org"]]
    bad = client.post(reverse("programmes:invite", kwargs={"programme": programme.slug}),
                      {"email": "nope", "role": "boss", "language": "en"})  # fmt: skip
    assert bad.status_code == 400 and "Enter a valid email address." in bad.content.decode()
    invite = StaffInvite.objects.get()
    client.post(reverse("programmes:invite_withdraw", kwargs={"programme": programme.slug, "pk": invite.pk}))
    invite.refresh_from_db()
    assert invite.revoked_at is not None
    viewer_role = StaffRole.objects.get(user=two.people["viewer of A"])
    args = {"programme": programme.slug, "pk": viewer_role.pk}
    client.post(reverse("programmes:role_change", kwargs=args), {"role": "issuer"})
    viewer_role.refresh_from_db()
    assert viewer_role.role == "issuer"
    assert client.post(reverse("programmes:role_change", kwargs=args), {"role": "boss"}).status_code == 302
    confirm = client.get(reverse("programmes:remove", kwargs=args))
    assert confirm.status_code == 200 and "viewer.a@example.org" in confirm.content.decode()
    client.post(reverse("programmes:remove", kwargs=args))
    assert not StaffRole.objects.filter(pk=viewer_role.pk).exists()


def test_a_manager_cannot_reach_another_programmes_staff_through_ids(two):
    client = logged_in(two.people["manager of A"])
    theirs = StaffRole.objects.get(user=two.people["viewer of B"])
    url = reverse("programmes:remove", kwargs={"programme": two.a.programme.slug, "pk": theirs.pk})
    assert client.post(url).status_code == 404
    assert StaffRole.objects.filter(pk=theirs.pk).exists()


def test_accepting_an_invitation(two, client, django_user_model):
    invite = services.staff_invite_create(programme=two.a.programme, email="zoe@example.org", role="viewer")
    url = reverse("programmes:invite_accept", kwargs={"token": services.invite_token(invite)})
    page = client.get(url).content.decode()
    assert "Social Protection" in page and f"/accounts/login/?next={url.replace(':', '%3A')}" in page
    assert client.post(url).status_code == 200  # not signed in: the page again, nothing accepted
    zoe = django_user_model.objects.create_user("zoe", "zoe@example.org", "pw")
    signed_in = logged_in(zoe)
    assert "You are signed in as zoe@example.org" in signed_in.get(url).content.decode()
    response = signed_in.post(url)
    assert response.status_code == 302
    assert StaffRole.objects.get(user=zoe).role == "viewer"
    again = signed_in.get(url)
    assert again.status_code == 410 and "already been accepted" in again.content.decode()


@pytest.mark.parametrize("token", ["garbage", "a" * 300, "x:y:z", "%00"])
def test_forged_links_get_a_page(client, token, db):
    response = client.get(f"/staff/invite/{token}/")
    assert response.status_code == 400 and "not valid" in response.content.decode()
