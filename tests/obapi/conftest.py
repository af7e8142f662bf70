import pytest

from tests.wallets.conftest import achievement, award, client_for, make_learner  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def learner(db):
    return make_learner("amina.okonkwo@example.org")


@pytest.fixture
def learner_client(learner):
    return client_for(learner)
