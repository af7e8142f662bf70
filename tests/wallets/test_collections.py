"""Collections: named, ordered, public or private, shareable."""

import re

import pytest

from wallets.models import Collection, CollectionItem

from .conftest import issue, make_achievement

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(issuer, competency):
    return [issue(make_achievement(issuer, competency, slug=f"b{n}", name=f"Badge {n}")) for n in range(3)]


def _create(client, **data):
    client.post("/wallet/collections/", {"name": "Showcase", "description": "My best", **data})
    return Collection.objects.latest("id")


def _add(client, collection, award):
    return client.post(f"/wallet/c/{award.public_id}/collect/", {"collection": collection.public_id})


def _order(client, collection):
    body = client.get(f"/wallet/collections/{collection.public_id}/").content.decode()
    return re.findall(r'<span class="item-name"[^>]*><a href="[^"]+">([^<]+)</a>', body)


def test_create_add_and_reorder(learner_client, three):
    collection = _create(learner_client)
    for award in three:
        assert _add(learner_client, collection, award).status_code == 302
    _add(learner_client, collection, three[0])  # twice: no duplicate
    assert CollectionItem.objects.count() == 3
    assert _order(learner_client, collection) == ["Badge 0", "Badge 1", "Badge 2"]
    last = CollectionItem.objects.get(award=three[2])
    learner_client.post(f"/wallet/collections/{collection.public_id}/", {"action": "up", "item": last.pk})
    assert _order(learner_client, collection) == ["Badge 0", "Badge 2", "Badge 1"]
    first = CollectionItem.objects.get(award=three[0])
    learner_client.post(f"/wallet/collections/{collection.public_id}/", {"action": "down", "item": first.pk})
    assert _order(learner_client, collection) == ["Badge 2", "Badge 0", "Badge 1"]
    learner_client.post(f"/wallet/collections/{collection.public_id}/", {"action": "remove", "item": first.pk})
    assert _order(learner_client, collection) == ["Badge 2", "Badge 1"]
    body = learner_client.get(f"/wallet/collections/{collection.public_id}/").content.decode()
    # each control's name is its visible word (WCAG 2.5.3: a translated aria-label could differ from it); the
    # credential it acts on is its description
    item = CollectionItem.objects.get(award=three[1])
    assert f'<span class="item-name" id="item-name-{item.pk}"><a' in body
    assert f'value="up" class="secondary" aria-describedby="item-name-{item.pk}">↑ Up</button>' in body


def test_public_collection_is_shareable_and_shows_only_public_credentials(client, learner_client, three):
    collection = _create(learner_client, is_public="on")
    for award in three:
        _add(learner_client, collection, award)
    learner_client.post(f"/wallet/c/{three[0].public_id}/visibility/", {"public": "1"})
    learner_client.post(f"/wallet/c/{three[2].public_id}/visibility/", {"public": "1"})
    page = client.get(f"/collections/{collection.public_id}/")
    body = page.content.decode()
    assert page.status_code == 200 and "Showcase" in body and "My best" in body
    assert "Badge 0" in body and "Badge 2" in body and "Badge 1" not in body
    assert body.index("Badge 0") < body.index("Badge 2")
    owner = learner_client.get(f"/wallet/collections/{collection.public_id}/").content.decode()
    assert "Others see 2 of these 3 credentials" in owner and "Shareable link" in owner


def test_private_collection_is_hidden(client, other_client, learner_client, three):
    collection = _create(learner_client)
    _add(learner_client, collection, three[0])
    assert client.get(f"/collections/{collection.public_id}/").status_code == 404
    assert other_client.get(f"/collections/{collection.public_id}/").status_code == 404
    assert other_client.get(f"/wallet/collections/{collection.public_id}/").status_code == 404
    owner_view = learner_client.get(f"/collections/{collection.public_id}/").content.decode()
    assert "only you can see this page" in owner_view


def test_cannot_add_someone_elses_credential_or_to_someone_elses_collection(learner_client, other_client, three):
    mine = _create(learner_client)
    theirs = _create(other_client, name="Theirs")
    assert _add(other_client, theirs, three[0]).status_code == 403
    assert _add(learner_client, theirs, three[0]).status_code == 404
    assert not CollectionItem.objects.exists()
    assert mine.user == learner_client.user


def test_collection_name_is_required_and_input_kept(learner_client):
    response = learner_client.post("/wallet/collections/", {"name": "", "description": "Kept text"})
    body = response.content.decode()
    assert response.status_code == 400 and "This field is required." in body and "Kept text" in body


def test_edit_and_delete(learner_client, three):
    collection = _create(learner_client)
    _add(learner_client, collection, three[0])
    learner_client.post(
        f"/wallet/collections/{collection.public_id}/",
        {"action": "save", "name": "Renamed", "description": "", "is_public": "on"},
    )
    collection.refresh_from_db()
    assert collection.name == "Renamed" and collection.is_public
    learner_client.post(f"/wallet/collections/{collection.public_id}/", {"action": "delete"})
    assert not Collection.objects.exists() and not CollectionItem.objects.exists()
