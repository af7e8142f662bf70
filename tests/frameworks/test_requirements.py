import pytest
from django.core.exceptions import ValidationError

from frameworks.requirements import validate_badge_definition, validate_certificate_definition
from tests.factories import CategoryFactory, TierFactory

pytestmark = pytest.mark.django_db

COMPLETE = {
    "criteria_narrative": "Designs a costed social protection floor.",
    "assessment_method": "Capstone project reviewed by two assessors",
    "level": 2,
    "alignments": [{"targetUrl": "http://data.europa.eu/esco/skill/abc", "targetName": "policy design"}],
}


def problems(category, data) -> dict:
    """The validator's verdict as data: {} when the definition is accepted, else the errors by field."""
    try:
        validate_badge_definition(category, data)
    except ValidationError as exc:
        return exc.message_dict
    return {}


@pytest.fixture
def competency():
    return CategoryFactory(
        name="Competency", required_fields=["criteria", "assessment_method", "level", "skill_alignment"], max_level=3
    )


def test_complete_definition_is_accepted(competency):
    assert problems(competency, COMPLETE) == {}


@pytest.mark.parametrize(
    ("missing", "field", "label"),
    [
        ("criteria_narrative", "criteria_narrative", "Criteria"),
        ("assessment_method", "assessment_method", "Assessment method"),
        ("level", "level", "Level"),
        ("alignments", "alignments", "Skill alignment"),
    ],
)
def test_each_missing_required_field_is_named(competency, missing, field, label):
    data = {**COMPLETE, missing: "" if missing != "alignments" else []}
    with pytest.raises(ValidationError) as exc:
        validate_badge_definition(competency, data)
    assert list(exc.value.message_dict) == [field]
    assert exc.value.message_dict[field] == [f"{label} is required for a Competency badge."]


def test_criteria_url_satisfies_criteria(competency):
    without_narrative = {**COMPLETE, "criteria_narrative": ""}
    assert problems(competency, without_narrative) == {
        "criteria_narrative": ["Criteria is required for a Competency badge."]
    }
    assert problems(competency, {**without_narrative, "criteria_url": "https://example.org/criteria"}) == {}


def test_whitespace_is_not_a_value(competency):
    with pytest.raises(ValidationError) as exc:
        validate_badge_definition(competency, {**COMPLETE, "assessment_method": "   "})
    assert "assessment_method" in exc.value.message_dict


def test_all_missing_fields_reported_at_once(competency):
    with pytest.raises(ValidationError) as exc:
        validate_badge_definition(competency, {})
    assert set(exc.value.message_dict) == {"criteria_narrative", "assessment_method", "level", "alignments"}


def test_level_out_of_range(competency):
    with pytest.raises(ValidationError) as exc:
        validate_badge_definition(competency, {**COMPLETE, "level": 4})
    assert exc.value.message_dict["level"] == ["Level must be between 1 and 3 for a Competency badge."]


def test_category_without_requirements_accepts_empty_definition():
    assert problems(CategoryFactory(required_fields=[]), {}) == {}
    assert list(problems(CategoryFactory(required_fields=["criteria"]), {})) == ["criteria_narrative"]


def test_expiry_policy_requires_positive_validity():
    membership = CategoryFactory(name="Membership", required_fields=["criteria", "expiry_policy"])
    with pytest.raises(ValidationError) as exc:
        validate_badge_definition(membership, {"criteria_narrative": "Member in good standing"})
    assert "validity_days" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        validate_badge_definition(membership, {"criteria_narrative": "x", "validity_days": 0})
    assert exc.value.message_dict["validity_days"] == ["Validity must be a positive number of days."]
    validate_badge_definition(membership, {"criteria_narrative": "x", "validity_days": 365})


def test_ects_must_match_hours():
    course = CategoryFactory(required_fields=["criteria", "hours", "ects_credits"])
    base = {"criteria_narrative": "x"}
    validate_badge_definition(course, {**base, "hours": 50, "ects_credits": 2})
    validate_badge_definition(course, {**base, "hours": 60, "ects_credits": 2})
    with pytest.raises(ValidationError) as exc:
        validate_badge_definition(course, {**base, "hours": 40, "ects_credits": 2})
    assert "50 to 60 hours" in exc.value.message_dict["ects_credits"][0]


def test_certificate_tier_requirements():
    tier = TierFactory(
        code="achievement", name="Certificate of Achievement", summative_assessment_required=True, min_hours=20
    )
    with pytest.raises(ValidationError) as exc:
        validate_certificate_definition(tier, {"criteria_narrative": "x", "hours": 10})
    errors = exc.value.message_dict
    assert set(errors) == {"assessment_method", "hours"}
    assert "at least 20 hours" in errors["hours"][0]
    validate_certificate_definition(tier, {"criteria_narrative": "x", "hours": 24, "assessment_method": "Exam"})


def test_category_refuses_unknown_requirement():
    category = CategoryFactory.build(required_fields=["criteria", "shoe_size"], framework=CategoryFactory().framework)
    with pytest.raises(ValidationError) as exc:
        category.full_clean()
    assert "shoe_size" in exc.value.message_dict["required_fields"][0]


def test_category_refuses_unknown_recipient_kind():
    category = CategoryFactory.build(recipient_kinds=["robot"], framework=CategoryFactory().framework)
    with pytest.raises(ValidationError) as exc:
        category.full_clean()
    assert "recipient_kinds" in exc.value.message_dict
