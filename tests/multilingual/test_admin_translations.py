"""Translations in the admin (issue 15.2): a field per text and language, packed into `translations`; a
published framework's parts show them read-only; bad input is a form error, never a 500."""

import pytest

from frameworks.models import BadgeCategory, Framework, GlossaryTerm
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def _form_data(page) -> dict:
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    return {key: ("" if value is None else value) for key, value in data.items()}


def test_a_programme_is_translated_in_the_admin(staff_client):
    programme = Programme.objects.create(slug="nursing", name="Nursing", description="Care.")
    page = staff_client.get(f"/admin/programmes/programme/{programme.pk}/change/")
    assert 'name="name__fr"' in page.content.decode() and 'name="name__en"' not in page.content.decode()
    data = {
        **_form_data(page),
        "name__fr": "Soins infirmiers",
        "name__es": "Enfermería",
        "description__es": "Cuidados.",
    }
    response = staff_client.post(f"/admin/programmes/programme/{programme.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    programme.refresh_from_db()
    assert programme.translations == {"fr": {"name": "Soins infirmiers"},
                                      "es": {"name": "Enfermería", "description": "Cuidados."}}  # fmt: skip
    assert programme.translated("name", "es") == "Enfermería" and programme.translated("name", "en") == "Nursing"


def test_an_achievement_is_translated_in_the_admin(staff_client, achievement):
    page = staff_client.get(f"/admin/credentials/achievement/{achievement.pk}/change/")
    data = {**_form_data(page), "name__fr": "Techniques de négociation", "criteria_narrative__es": "Negociar."}
    response = staff_client.post(f"/admin/credentials/achievement/{achievement.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    achievement.refresh_from_db()
    assert achievement.translations == {"fr": {"name": "Techniques de négociation"},
                                        "es": {"criteria_narrative": "Negociar."}}  # fmt: skip


def test_a_glossary_translation_needs_term_and_definition_a_form_error(staff_client, default_framework):
    from frameworks.services import framework_new_version

    draft = framework_new_version(source=default_framework)
    term = GlossaryTerm.objects.filter(framework=draft).first()
    page = staff_client.get(f"/admin/frameworks/glossaryterm/{term.pk}/change/")
    data = {**_form_data(page), "term__fr": "Terme", "definition__fr": ""}
    response = staff_client.post(f"/admin/frameworks/glossaryterm/{term.pk}/change/", data)
    assert response.status_code == 200
    assert "needs a term and a definition" in response.content.decode()


def test_a_published_category_shows_its_translations_read_only(staff_client, default_framework):
    category = BadgeCategory.objects.get(framework=default_framework, code="competency")
    page = staff_client.get(f"/admin/frameworks/badgecategory/{category.pk}/change/")
    body = page.content.decode()
    assert page.status_code == 200 and "Compétence" in body and 'name="name__fr"' not in body


def test_a_draft_framework_is_created_with_translations(staff_client, default_framework):
    page = staff_client.get("/admin/frameworks/framework/add/")
    data = {**_form_data(page), "title": "Next", "title__fr": "Suivant"}
    response = staff_client.post("/admin/frameworks/framework/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Framework.objects.get(title="Next").translations == {"fr": {"title": "Suivant"}}
