"""The public catalogue of achievements on the home page: published achievements only, searchable by words and
filterable by programme, tier or category, and kind. Bad filter values are ignored (never an error)."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import F, Q

from .models import Achievement

PAGE_SIZE = 24
KINDS = ("certificate", "badge")


@dataclass
class Catalogue:
    page: object  # a Paginator page of Achievements
    total: int
    programmes: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    groups: list[tuple[str, str]] = field(default_factory=list)  # ("tier:<code>" | "category:<code>", name)
    filters: dict = field(default_factory=dict)  # the filters applied, cleaned


def _published():
    return Achievement.objects.filter(status=Achievement.Status.PUBLISHED).filter(
        Q(programme__isnull=True) | Q(programme__is_active=True)
    )


def _choices(published) -> tuple[list, list]:
    pairs = published.filter(programme__isnull=False).values_list("programme__slug", "programme__name").distinct()
    programmes = sorted(set(pairs), key=lambda item: item[1].casefold())
    tiers, categories = {}, {}
    rows = published.values(
        "tier__code", "tier__name", "tier__order", "category__code", "category__name", "category__order"
    ).distinct()  # fmt: skip
    for row in rows:
        if row["tier__code"]:
            tiers.setdefault(row["tier__code"], (row["tier__order"], row["tier__name"]))
        elif row["category__code"]:
            categories.setdefault(row["category__code"], (row["category__order"], row["category__name"]))
    groups = [(f"tier:{code}", name) for code, (_order, name) in sorted(tiers.items(), key=lambda i: i[1])]
    groups += [(f"category:{code}", name) for code, (_order, name) in sorted(categories.items(), key=lambda i: i[1])]
    return programmes, groups


def public_catalogue(
    *, q: str = "", programme: str = "", group: str = "", kind: str = "", page: str = "1"
) -> Catalogue:
    """Published achievements (of active programmes, or of none), filtered; a page of PAGE_SIZE."""
    published = _published()
    programmes, groups = _choices(published)
    filters = {
        "q": " ".join((q or "").split())[:100],
        "programme": programme if programme in {slug for slug, _name in programmes} else "",
        "group": group if group in {key for key, _name in groups} else "",
        "kind": kind if kind in KINDS else "",
    }
    found = published.select_related("issuer", "tier", "category", "programme")
    for word in filters["q"].split()[:8]:
        found = found.filter(Q(name__icontains=word) | Q(description__icontains=word) | Q(issuer__name__icontains=word))
    if filters["programme"]:
        found = found.filter(programme__slug=filters["programme"])
    if filters["group"]:
        part, code = filters["group"].split(":", 1)
        found = found.filter(**{f"{part}__code": code})
    if filters["kind"] == "certificate":
        found = found.filter(tier__isnull=False)
    elif filters["kind"] == "badge":
        found = found.filter(category__isnull=False)
    # certificates (tiers in order) first, then badges (categories in order)
    found = found.order_by(
        F("tier__order").asc(nulls_last=True), F("category__order").asc(nulls_last=True), "name", "pk"
    )
    paginator = Paginator(found, PAGE_SIZE)
    return Catalogue(
        page=paginator.get_page(page),
        total=paginator.count,
        programmes=programmes,
        groups=groups,
        filters=filters,
    )
