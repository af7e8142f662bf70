"""Wallet cards: what a card of the wallet, a profile or a collection shows, built with few queries."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credentials.models import Award
from multilingual.text import translated

from ..models import ExternalCredential

# The columns a wallet card and stacking progress read (the signed credential, evidence and the category's
# SVG template stay in the database: a 300-credential wallet would otherwise move megabytes per render).
CARD_FIELDS = (
    "public_id", "state", "issued_at", "expires_at", "recipient_email",
    "achievement__slug", "achievement__name", "achievement__description", "achievement__tags",
    "achievement__level", "achievement__issuer__name", "achievement__language", "achievement__translations",
    "achievement__tier__code", "achievement__tier__name", "achievement__tier__order",
    "achievement__category__code", "achievement__category__name", "achievement__category__order",
)  # fmt: skip


AWARD_CARD_FIELDS = ("public_id", "state", "issued_at", "expires_at", "recipient_email", "achievement_id")


ACHIEVEMENT_CARD_FIELDS = (
    "slug", "name", "description", "tags", "level", "issuer__name", "language", "translations",
    "tier__code", "tier__name", "tier__order", "category__code", "category__name", "category__order",
)  # fmt: skip


@dataclass
class Card:
    kind: str  # "certificate" | "badge" | "external"
    public_id: str
    name: str
    issuer_name: str
    issued: str  # already formatted
    state: str
    state_label: str
    is_public: bool
    group: str  # "tier:<code>" | "category:<code>" | "external"
    search_text: str
    image_url: str = ""
    detail_url: str = ""  # the holder's page
    public_url: str = ""  # what others follow: the verification page (imports have none)
    award: Award | None = None
    external: ExternalCredential | None = None
    item_id: int | None = None  # its row in a collection
    group_label: str = ""  # the tier or category shown on the card (the wallet page sets it)


def _url_pattern(name: str, key: str):
    """reverse() once with a marker, then fill in (slugs and public ids are URL-safe): a 300-card page
    would otherwise spend a fifth of its time in reverse()."""
    marker = "MARKER0x"
    head, tail = reverse(name, kwargs={key: marker}).split(marker)
    return lambda value: f"{head}{value}{tail}"


class CardUrls:
    """What every card of a page shares, computed once per page: URL patterns, translated state labels and
    month labels (few distinct months, many cards)."""

    def __init__(self):
        self.image = _url_pattern("credentials:achievement_image", "slug")
        self.verify = _url_pattern("credentials:verify_page", "public_id")
        self.detail = _url_pattern("wallets:detail", "public_id")
        self.external = _url_pattern("wallets:external", "public_id")
        self.external_image = _url_pattern("wallets:external_image", "public_id")
        self.labels = {state: str(label) for state, label in STATE_LABELS.items()}
        self._months: dict[tuple[int, int], str] = {}
        self.achievements: dict[int, tuple] = {}  # what cards of one achievement share (few achievements)

    def month(self, moment) -> str:
        moment = timezone.localtime(moment)
        key = (moment.year, moment.month)
        if key not in self._months:
            self._months[key] = date_format(moment, "YEAR_MONTH_FORMAT")
        return self._months[key]


STATE_LABELS = {
    "issued": gettext_lazy("Waiting for your answer"),
    "accepted": gettext_lazy("Accepted"),
    "declined": gettext_lazy("Declined"),
    "revoked": gettext_lazy("Revoked"),
    "expired": gettext_lazy("Expired"),
    "external": gettext_lazy("Imported"),
}


FILTER_STATES = ("issued", "accepted", "declined", "revoked", "expired")


def _achievement_parts(achievement, urls: CardUrls) -> tuple:
    """kind, group, name, issuer, search text and image of an achievement's cards, computed once per page."""
    parts = urls.achievements.get(achievement.pk)
    if parts is None:
        if achievement.tier_id:
            kind, group = "certificate", f"tier:{achievement.tier.code}"
        else:
            kind, group = "badge", f"category:{achievement.category.code}"
        issuer = achievement.issuer.name
        name = translated(achievement, "name")  # the holder's language when translated
        search = " ".join([name, achievement.name, issuer, achievement.description, *map(str, achievement.tags or [])])
        parts = (kind, group, name, issuer, search.casefold(), urls.image(achievement.slug))
        urls.achievements[achievement.pk] = parts
    return parts


def award_card(award: Award, is_public: bool, urls: CardUrls) -> Card:
    kind, group, name, issuer, search_text, image_url = _achievement_parts(award.achievement, urls)
    state = award.effective_state
    return Card(
        kind=kind,
        public_id=award.public_id,
        name=name,
        issuer_name=issuer,
        issued=urls.month(award.issued_at),
        state=state,
        state_label=urls.labels.get(state, state),
        is_public=is_public,
        group=group,
        search_text=search_text,
        image_url=image_url,
        detail_url=urls.detail(award.public_id),
        public_url=urls.verify(award.public_id),
        award=award,
    )


def external_card(item: ExternalCredential, urls: CardUrls) -> Card:
    return Card(
        kind="external",
        public_id=item.public_id,
        name=item.name,
        issuer_name=item.issuer_name,
        issued=item.issued_on[:10],
        state="external" if item.is_valid else "expired",
        state_label=urls.labels["external"] if item.is_valid else _("Imported (not valid now)"),
        is_public=item.is_public,
        group="external",
        search_text=" ".join([item.name, item.issuer_name, item.description]).casefold(),
        image_url=urls.external_image(item.public_id) if item.image else "",
        detail_url=urls.external(item.public_id),
        external=item,
    )
