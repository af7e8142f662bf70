import pytest

from tests.wallets.conftest import (  # noqa: F401 - fixtures
    achievement,
    award,
    client_for,
    learner,
    learner_client,
    make_learner,
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.RATELIMIT_ENABLE = False
