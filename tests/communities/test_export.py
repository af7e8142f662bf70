"""A learner's memberships are in their data export (communities.json)."""

import io
import json
import zipfile

from django.test import Client

from communities import services


def _export(user) -> zipfile.ZipFile:
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.get("/wallet/data/export.zip")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_lists_memberships_with_their_credentials(world):
    community = world.make(join_mode="open")
    learner = world.users["learner"]
    membership = services.membership_join(community=community, user=learner, statement="I run a village clinic.")
    rows = json.loads(_export(learner).read("communities.json"))
    assert rows == [
        {
            "community": "Community Health Workers",
            "community_url": community.get_absolute_url(),
            "state": "active",
            "credential_address": "learner@example.org",
            "statement": "I run a village clinic.",
            "note_from_the_managers": "",
            "credential": membership.award.public_id,
            "period": membership.period,
            "expires": membership.expires_at.isoformat(),
            "in_directory": False,
            "joined": membership.created_at.isoformat(),
            "contributions": [],
        }
    ]
    assert json.loads(_export(world.users["other_learner"]).read("communities.json")) == []
