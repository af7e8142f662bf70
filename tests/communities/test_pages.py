"""The public community page (join, apply, directory, query budget), the invitation page, the learner's
memberships (renew, directory), and the console page for a named community manager."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from communities import services
from communities.models import Membership
from communities.tokens import invite_tokens

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_public_page_for_anonymous_visitors(client, world):
    community = world.make(join_mode="open", how_to_join="Work as a CHW in the county.")
    response = client.get(f"/communities/{community.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Community Health Workers" in html and "Work as a CHW in the county." in html
    assert "CHW Network Member" in html and "Sign in to join" in html
    assert client.get("/communities/nope/").status_code == 404
    response = client.post(f"/communities/{community.slug}/", {"statement": "Hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Membership.objects.exists()


def test_join_from_the_page(world):
    community = world.make(join_mode="open")
    client = client_for(world.users["learner"])
    response = client.post(f"/communities/{community.slug}/", {"statement": ""})
    assert response.status_code == 400 and not Membership.objects.exists()
    response = client.post(f"/communities/{community.slug}/", {"statement": "I run a clinic."}, follow=True)
    assert response.status_code == 200
    assert "You are a member of this community." in response.content.decode()
    assert Membership.objects.get().state == Membership.State.ACTIVE


def test_apply_from_the_page_then_a_named_manager_approves_in_the_console(world):
    community = world.make()
    client = client_for(world.users["learner"])
    response = client.post(f"/communities/{community.slug}/", {"statement": "Five years."}, follow=True)
    assert "waiting for the managers" in response.content.decode()
    membership = Membership.objects.get()
    named = client_for(world.users["named"])  # no role in the programme: its own manager
    page = named.get(f"/staff/p/{world.programme.slug}/communities/{community.slug}/")
    assert page.status_code == 200 and "Five years." in page.content.decode()
    response = named.post(f"/staff/p/{world.programme.slug}/communities/{community.slug}/m/{membership.pk}/approve/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE and membership.award is not None
    # the named manager of this community sees nothing of the programme's other pages
    assert named.get(f"/staff/p/{world.programme.slug}/communities/").status_code == 403


def test_decline_in_the_console_needs_a_reason(world):
    community = world.make()
    membership = services.membership_apply(community=community, user=world.users["learner"], statement="Hi")
    manager = client_for(world.users["manager"])
    url = f"/staff/p/{world.programme.slug}/communities/{community.slug}/m/{membership.pk}/decline/"
    response = manager.post(url, {"text": ""}, follow=True)
    assert "Give the reason" in response.content.decode()
    membership.refresh_from_db()
    assert membership.state == Membership.State.APPLIED
    manager.post(url, {"text": "Not this year."})
    membership.refresh_from_db()
    assert membership.state == Membership.State.DECLINED and membership.manager_note == "Not this year."
    bad = manager.post(f"/staff/p/{world.programme.slug}/communities/{community.slug}/m/{membership.pk}/nonsense/")
    assert bad.status_code == 404


def test_invitation_page_valid_forged_and_expired(world, client):
    community = world.make(join_mode="invitation")
    invite = services.invitation_send(
        community=community, email="new@example.org", name="New", language="en", actor=world.users["manager"]
    )
    token = invite_tokens.make_token(invite)
    url = f"/communities/{community.slug}/invite/{invite.pk}/{token}/"
    assert "Sign in to accept" in client.get(url).content.decode()
    assert client.get(f"/communities/{community.slug}/invite/{invite.pk}/1-abc/").status_code == 400
    learner = client_for(world.users["learner"])
    response = learner.post(url)
    assert response.status_code == 302 and response["Location"] == "/communities/mine/"
    assert Membership.objects.get().award.recipient_email == "new@example.org"
    used = client.get(url)
    assert used.status_code == 410 and "already accepted" in used.content.decode()


def test_my_memberships_renew_and_directory(world):
    community = world.make(join_mode="open")
    learner = world.users["learner"]
    membership = services.membership_join(community=community, user=learner, statement="Hi")
    client = client_for(learner)
    page = client.get("/communities/mine/").content.decode()
    assert "Community Health Workers" in page and "Renew my membership" not in page  # not due yet
    Membership.objects.filter(pk=membership.pk).update(expires_at=timezone.now() + timedelta(days=10))
    page = client.get("/communities/mine/").content.decode()
    assert "Renew my membership" in page
    client.post(f"/communities/mine/{membership.pk}/renew/")
    membership.refresh_from_db()
    assert membership.period == 2
    client.post(f"/communities/mine/{membership.pk}/directory/", {"listed": "1"})
    membership.refresh_from_db()
    assert membership.in_directory
    # someone else's membership: not found
    assert client_for(world.users["outsider"]).post(f"/communities/mine/{membership.pk}/renew/").status_code == 404


def test_public_page_query_budget_does_not_grow_with_members(world, django_assert_max_num_queries, django_user_model):
    from tests.communities.conftest import verified_user
    from wallets.models import Profile

    community = world.make(join_mode="open")
    for n in range(6):
        person = verified_user(django_user_model, f"member{n}")
        membership = services.membership_join(community=community, user=person, statement="Hi")
        services.membership_directory_set(membership=membership, user=person, listed=True)
        if n % 2:
            Profile.objects.create(user=person, handle=f"member-{n}", display_name=f"Member {n}", is_public=True)
        if n < 2:
            services.contribution_award(
                membership=membership, achievement=world.mentor_badge, role="mentor", actor=world.users["manager"]
            )
    client = Client()
    with django_assert_max_num_queries(6):
        response = client.get(f"/communities/{community.slug}/")
    html = response.content.decode()
    assert html.count('class="card"') >= 6 and "Member 1" in html and "/u/member-1/" in html
    assert "CHW Mentor" in html


def test_programme_manager_creates_and_changes_a_community_in_the_console(world):
    from communities.models import Community

    manager = client_for(world.users["manager"])
    url = f"/staff/p/{world.programme.slug}/communities/new/"
    page = manager.get(url).content.decode()
    assert "CHW Network Member" in page and "Wound Care" in page  # membership choices, contribution choices
    bad = manager.post(url, {"name": "X", "slug": "x", "description": "",
                             "membership_achievement": world.competency_badge.pk,
                             "join_mode": "open", "renewal_mode": "confirm", "reminder_days": "30"})  # fmt: skip
    assert bad.status_code == 400 and not Community.objects.exists()
    data = {
        "name": "Mentors' circle", "slug": "mentors", "description": "Peers.", "how_to_join": "Apply.",
        "membership_achievement": world.membership_badge.pk, "contribution_achievements": [world.mentor_badge.pk],
        "join_mode": "application", "renewal_mode": "review", "reminder_days": "21",
    }  # fmt: skip
    response = manager.post(url, data)
    assert response.status_code == 302
    community = Community.objects.get(slug="mentors")
    assert list(community.contribution_achievements.all()) == [world.mentor_badge]
    assert community.renewal_mode == "review" and community.reminder_days == 21
    edit = f"/staff/p/{world.programme.slug}/communities/mentors/edit/"
    unknown = manager.post(edit, {**data, "manager_emails": "ghost@example.org", "is_active": "on"})
    assert unknown.status_code == 400 and "ghost@example.org" in unknown.content.decode()
    response = manager.post(
        edit, {**data, "join_mode": "open", "is_active": "on", "manager_emails": "named@example.org"}
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.join_mode == "open" and list(community.managers.all()) == [world.users["named"]]
    # a viewer reads but does not change; a named manager changes but not the contribution badges
    viewer = client_for(world.users["viewer"])
    assert viewer.get(f"/staff/p/{world.programme.slug}/communities/mentors/").status_code == 200
    assert viewer.post(edit, data).status_code == 403
    named = client_for(world.users["named"])
    form = named.get(edit).content.decode()
    assert "contribution_achievements" not in form and "manager_emails" not in form
    assert named.post(edit, {**data, "contribution_achievements": [], "is_active": "on"}).status_code == 302
    assert list(community.contribution_achievements.all()) == [world.mentor_badge]
