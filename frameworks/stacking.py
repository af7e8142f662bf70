"""Stacking rules as plain data: validation of a rule's definition and progress of a learner toward it.

No database access here: the credentials app (awarding) and the wallets app ("3 of 5 badges") pass in
what a learner has earned.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass(frozen=True)
class Earned:
    """One credential a learner holds."""

    slug: str
    category: str | None = None  # badge category code
    tier: str | None = None  # certificate tier code
    level: int | None = None


@dataclass(frozen=True)
class RuleSpec:
    mode: str  # "all" | "n_of"
    required_count: int | None = None
    components: tuple[str, ...] = ()
    categories: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()
    min_level: int | None = None
    result_achievement: str = ""


@dataclass
class Progress:
    needed: int
    matched: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return min(len(self.matched), self.needed)

    @property
    def satisfied(self) -> bool:
        return len(self.matched) >= self.needed


def validate_rule(spec: RuleSpec) -> dict[str, str]:
    """Return {field: message} for every problem in a rule's definition (empty when it is sound)."""
    errors: dict[str, str] = {}
    components = list(spec.components)
    bad = [c for c in components if not isinstance(c, str) or not SLUG.match(c)]
    if bad:
        errors["components"] = _("These are not achievement slugs: %(bad)s.") % {"bad": ", ".join(map(str, bad))}
    elif len(set(components)) != len(components):
        errors["components"] = _("An achievement is listed twice.")
    elif spec.result_achievement and spec.result_achievement in components:
        errors["components"] = _("A rule cannot count the achievement it awards.")
    if spec.mode == "all":
        if not components:
            errors["components"] = _("“All of” needs the list of achievements to complete.")
        elif spec.required_count not in (None, len(components)):
            errors["required_count"] = _("“All of” counts every listed achievement; leave “how many” empty.")
    elif spec.mode == "n_of":
        if not spec.required_count:
            errors["required_count"] = _("“N of” needs how many achievements to complete.")
        elif components and spec.required_count > len(components):
            errors["required_count"] = _("Asks for %(n)s of only %(total)s listed achievements.") % {
                "n": spec.required_count,
                "total": len(components),
            }
        if not components and not spec.categories and not spec.tiers:
            errors["components"] = _("List the achievements, or limit the rule to categories or tiers.")
    else:
        errors["mode"] = _("Unknown mode.")
    if spec.min_level is not None and not spec.categories:
        errors["min_level"] = _("A minimum level only applies to badges of chosen categories.")
    return errors


def counts(spec: RuleSpec, item: Earned) -> bool:
    if spec.components and item.slug not in spec.components:
        return False
    if spec.categories or spec.tiers:
        in_category = item.category in spec.categories
        in_tier = item.tier in spec.tiers
        if not (in_category or in_tier):
            return False
        if in_category and spec.min_level is not None and (item.level or 0) < spec.min_level:
            return False
    return item.slug != spec.result_achievement


def progress(spec: RuleSpec, earned: Iterable[Earned]) -> Progress:
    """How far a learner's credentials go toward the rule (each achievement counts once)."""
    needed = len(spec.components) if spec.mode == "all" else (spec.required_count or 0)
    matched: list[str] = []
    for item in earned:
        if item.slug not in matched and counts(spec, item):
            matched.append(item.slug)
    return Progress(needed=needed, matched=matched)
