"""A programme with a learning-application badge (open route, the learner may nominate an assessor), a mentoring
badge (two sessions, a mentor), a competency badge (not an evidence category); a learner with a verified address,
the programme's manager, issuer and viewer, another programme's manager, an outsider."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def verified_user(django_user_model, username, email=None, **fields):
    from allauth.account.models import EmailAddress

    email = email or f"{username}@example.org"
    user = django_user_model.objects.create_user(username, email, "pw", **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def png_bytes(size=(8, 8)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_upload(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf_upload(name="report.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def world(db, issuer, default_framework, django_user_model, settings):
    from applications.services import route_save
    from programmes.models import Programme, StaffRole
    from tests.credentials.conftest import make_achievement

    settings.BASE_URL = "https://laurel.example.org"
    categories = {c.code: c for c in default_framework.badgecategory_set.all()}
    programme = Programme.objects.create(slug="labour", name="Labour Inspection")
    other_programme = Programme.objects.create(slug="logistics", name="Logistics")
    application_badge = make_achievement(
        issuer, categories["learning_application"], slug="workplace-application", name="Workplace Application",
        programme=programme,
    )  # fmt: skip
    mentor_badge = make_achievement(
        issuer, categories["mentoring_coaching"], slug="peer-mentee", name="Peer Mentoring", programme=programme
    )
    competency_badge = make_achievement(
        issuer, categories["competency"], slug="inspection-basics", name="Inspection Basics", programme=programme
    )
    users = {
        "learner": verified_user(django_user_model, "learner", first_name="Amina", last_name="Okonkwo"),
        "other_learner": verified_user(django_user_model, "other_learner"),
        "unverified": django_user_model.objects.create_user("unverified", "unverified@example.org", "pw"),
        "manager": verified_user(django_user_model, "manager"),
        "issuer": verified_user(django_user_model, "issuer_staff"),
        "viewer": verified_user(django_user_model, "viewer"),
        "other_manager": verified_user(django_user_model, "other_manager"),
        "outsider": verified_user(django_user_model, "outsider"),
    }
    StaffRole.objects.create(user=users["manager"], programme=programme, role="manager")
    StaffRole.objects.create(user=users["issuer"], programme=programme, role="issuer")
    StaffRole.objects.create(user=users["viewer"], programme=programme, role="viewer")
    StaffRole.objects.create(user=users["other_manager"], programme=other_programme, role="manager")
    route = route_save(
        achievement=application_badge, actor=users["manager"], is_open=True, nominee="assessor",
        instructions="Show how you applied the checklist at work.", min_files=0,
    )  # fmt: skip
    mentor_route = route_save(
        achievement=mentor_badge, actor=users["manager"], is_open=True, nominee="mentor", sessions_required=2,
        narrative_required=False,
    )  # fmt: skip
    return SimpleNamespace(
        programme=programme, other_programme=other_programme, application_badge=application_badge,
        mentor_badge=mentor_badge, competency_badge=competency_badge, users=users, route=route,
        mentor_route=mentor_route,
    )  # fmt: skip


@pytest.fixture
def submitted(world):
    """The learner's application with a narrative, a link and a PNG, nominating an assessor."""
    from applications.services import application_submit

    return application_submit(
        achievement=world.application_badge, user=world.users["learner"],
        narrative="I adopted the revised checklist in my unit.", links=["https://example.org/checklist"],
        uploads=[png_upload()], nominee_email="assessor@example.net", nominee_name="Grace Assessor",
        nominee_language="fr",
    )  # fmt: skip


def client_of(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
