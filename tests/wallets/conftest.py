import io

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

PASSWORD = "a-Long-and-unusual-passphrase-42"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def make_achievement(issuer, category, **overrides):
    from tests.credentials.conftest import make_achievement as credentials_achievement

    return credentials_achievement(issuer, category, **{"level": 2, **overrides})


@pytest.fixture
def achievement(issuer, competency):
    return make_achievement(issuer, competency)


def issue(achievement, email="amina.okonkwo@example.org", name="Amina Okonkwo", **kwargs):
    from credentials.services import Recipient, award_issue

    return award_issue(achievement=achievement, recipient=Recipient(email=email, name=name, **kwargs))


@pytest.fixture
def award(achievement):
    return issue(achievement, narrative="Led the final simulation.")


def make_learner(email: str, *, verified=True, password=PASSWORD, extra_emails=()):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=email.split("@")[0], email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    for extra in extra_emails:
        EmailAddress.objects.create(user=user, email=extra, verified=True, primary=False)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    client.user = user
    return client


@pytest.fixture
def learner(db):
    return make_learner("amina.okonkwo@example.org")


@pytest.fixture
def learner_client(learner):
    return client_for(learner)


@pytest.fixture
def other_client(db):
    return client_for(make_learner("someone.else@example.org"))


def png_bytes(size=(8, 8), *, exif_gps=False, colour="red") -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "SpyCam Inc."  # Make
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS IFD
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()
