"""The framework page (issue 15.3): a table of contents with anchors, and rule sentences with correct plurals."""

import re

import pytest

from frameworks.models import StackingRule, describe_rule

pytestmark = pytest.mark.django_db


def test_framework_page_has_a_table_of_contents_whose_links_all_land(client, default_framework):
    body = client.get("/framework/").content.decode()
    toc = body[body.index('id="toc-heading"') : body.index("</nav>", body.index('id="toc-heading"'))]
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert {"tiers-heading", "badges-heading", "stacking-heading", "tier-participation", "cat-competency"} <= set(
        targets
    )
    for target in targets:
        assert f'id="{target}"' in body, target  # every entry lands on a heading
        assert f'class="anchor" href="#{target}"' in body, target  # and each heading links to itself
    assert (
        len(targets) == 3 + default_framework.certificatetier_set.count() + default_framework.badgecategory_set.count()
    )


def _rule(framework, **fields):
    tier = framework.certificatetier_set.get(code="achievement")
    return StackingRule.objects.create(
        framework=framework, slug=fields.pop("slug", "r"), name="R", result_tier=tier, **fields
    )


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"mode": StackingRule.Mode.N_OF, "required_count": 1}, "Any 1 credential"),
        ({"mode": StackingRule.Mode.N_OF, "required_count": 3}, "Any 3 credentials"),
        ({"mode": StackingRule.Mode.N_OF, "required_count": 1, "components": ["a"]}, "1 of 1 listed achievement"),
        (
            {"mode": StackingRule.Mode.N_OF, "required_count": 2, "components": ["a", "b", "c"]},
            "2 of 3 listed achievements",
        ),
        ({"mode": StackingRule.Mode.ALL, "required_count": 1, "components": ["a"]}, "The 1 listed achievement"),
        ({"mode": StackingRule.Mode.ALL, "required_count": 2, "components": ["a", "b"]}, "All 2 listed achievements"),
    ],
)
def test_rule_sentences_agree_in_number(default_framework, fields, sentence):
    assert describe_rule(_rule(default_framework, **fields)) == sentence


def test_the_page_never_says_1_credentials(client, default_framework):
    rule = _rule(default_framework, slug="one", mode=StackingRule.Mode.N_OF, required_count=1)
    rule.allowed_categories.add(default_framework.badgecategory_set.get(code="competency"))
    body = client.get("/framework/").content.decode()
    assert "Any 1 credential of: Competency" in body
    assert "1 credentials" not in body
