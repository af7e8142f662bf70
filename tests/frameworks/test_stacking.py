import pytest
from django.core.exceptions import ValidationError

from frameworks.models import StackingRule
from frameworks.services import stacking_rule_save
from frameworks.stacking import Earned, RuleSpec, progress, validate_rule
from tests.factories import CategoryFactory, FrameworkFactory, TierFactory


def test_all_of_needs_listed_achievements():
    assert "components" in validate_rule(RuleSpec(mode="all"))
    assert validate_rule(RuleSpec(mode="all", components=("a", "b"))) == {}


def test_all_of_refuses_a_different_count():
    errors = validate_rule(RuleSpec(mode="all", components=("a", "b"), required_count=1))
    assert "required_count" in errors


def test_n_of_needs_a_count():
    assert "required_count" in validate_rule(RuleSpec(mode="n_of", components=("a", "b")))


def test_n_of_cannot_ask_for_more_than_listed():
    errors = validate_rule(RuleSpec(mode="n_of", components=("a", "b"), required_count=3))
    assert errors == {"required_count": "Asks for 3 of only 2 listed achievements."}


def test_n_of_needs_a_set_or_a_constraint():
    assert "components" in validate_rule(RuleSpec(mode="n_of", required_count=2))
    assert validate_rule(RuleSpec(mode="n_of", required_count=2, categories=frozenset({"competency"}))) == {}
    assert validate_rule(RuleSpec(mode="n_of", required_count=2, tiers=frozenset({"achievement"}))) == {}


def test_components_must_be_unique_slugs():
    assert "components" in validate_rule(RuleSpec(mode="all", components=("a", "a")))
    assert "components" in validate_rule(RuleSpec(mode="all", components=("not a slug!",)))


def test_rule_cannot_count_its_own_result():
    errors = validate_rule(RuleSpec(mode="all", components=("a", "b"), result_achievement="a"))
    assert errors["components"] == "A rule cannot count the achievement it awards."


def test_min_level_only_with_categories():
    assert "min_level" in validate_rule(RuleSpec(mode="all", components=("a",), min_level=2))


def test_progress_n_of_category_pool_with_level():
    spec = RuleSpec(mode="n_of", required_count=3, categories=frozenset({"competency"}), min_level=2)
    earned = [
        Earned("negotiation", category="competency", level=2),
        Earned("negotiation", category="competency", level=2),  # counted once
        Earned("budgeting", category="competency", level=1),  # below the level
        Earned("conference-2026", category="event"),  # other category
        Earned("gender-audit", category="competency", level=3),
    ]
    result = progress(spec, earned)
    assert (result.done, result.needed, result.satisfied) == (2, 3, False)
    assert result.matched == ["negotiation", "gender-audit"]
    result = progress(spec, [*earned, Earned("osh", category="competency", level=2)])
    assert result.satisfied


def test_progress_all_of_listed_set():
    spec = RuleSpec(mode="all", components=("m1", "m2", "m3"))
    assert progress(spec, [Earned("m1"), Earned("m3")]).done == 2
    assert not progress(spec, [Earned("m1"), Earned("m3"), Earned("other")]).satisfied
    assert progress(spec, [Earned("m1"), Earned("m2"), Earned("m3")]).satisfied


def test_progress_listed_set_narrowed_by_tier():
    spec = RuleSpec(mode="n_of", required_count=2, components=("c1", "c2", "c3"), tiers=frozenset({"achievement"}))
    earned = [Earned("c1", tier="achievement"), Earned("c2", tier="participation"), Earned("c3", tier="achievement")]
    assert progress(spec, earned).matched == ["c1", "c3"]


@pytest.mark.django_db
def test_rule_with_parts_of_another_framework_is_refused():
    framework = FrameworkFactory()
    tier = TierFactory(framework=framework, code="achievement")
    foreign = CategoryFactory()  # another framework
    rule = StackingRule(framework=framework, slug="r", name="R", mode="n_of", required_count=2, result_tier=tier)
    with pytest.raises(ValidationError) as exc:
        stacking_rule_save(rule=rule, categories=[foreign], tiers=[])
    assert "allowed_categories" in exc.value.message_dict
    assert not StackingRule.objects.exists()


@pytest.mark.django_db
def test_rule_needs_exactly_one_result():
    framework = FrameworkFactory()
    category = CategoryFactory(framework=framework)
    tier = TierFactory(framework=framework)
    both = StackingRule(
        framework=framework,
        slug="r",
        name="R",
        mode="n_of",
        required_count=1,
        result_tier=tier,
        result_category=category,
    )
    with pytest.raises(ValidationError) as exc:
        stacking_rule_save(rule=both, categories=[category], tiers=[])
    assert "result_tier" in exc.value.message_dict
    good = StackingRule(framework=framework, slug="ok", name="OK", mode="n_of", required_count=3, result_tier=tier)
    stacking_rule_save(rule=good, categories=[category], tiers=[])
    assert list(good.allowed_categories.all()) == [category]
