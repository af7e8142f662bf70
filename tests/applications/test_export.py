"""A learner's applications and goals are in their data export (applications.json); nobody else's."""

import io
import json
import zipfile

from .conftest import client_of


def _export(user) -> dict:
    response = client_of(user).get("/wallet/data/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("applications.json"))


def test_the_export_holds_the_application_its_evidence_and_the_goals(world, submitted):
    from applications.services import goal_set

    goal_set(user=world.users["learner"], achievement=world.mentor_badge, note="Become a mentor")
    data = _export(world.users["learner"])
    [application] = data["applications"]
    assert application["achievement"] == "Workplace Application" and application["state"] == "submitted"
    assert application["narrative"] == "I adopted the revised checklist in my unit."
    assert [link["url"] for link in application["links"]] == ["https://example.org/checklist"]
    assert application["files"] == ["photo.png"]
    assert application["nominee"] == {"email": "assessor@example.net", "name": "Grace Assessor", "role": "assessor"}
    assert application["credential"] is None
    assert data["goals"] == [
        {"achievement": "Peer Mentoring", "note": "Become a mentor", "set": data["goals"][0]["set"]}
    ]
    assert _export(world.users["other_learner"]) == {"applications": [], "goals": []}
