"""Reads of the wallets app for pages, exports and other apps (the VC-API exchange), with their joins.

A learner's wallet = every award whose recipient_email is one of their verified addresses, plus the
credentials they imported. Nothing here writes.
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credentials.models import Achievement, Award
from credentials.openbadges.ob3 import normalize_email
from credentials.selectors import AWARD_JOINS
from frameworks.models import BadgeCategory, CertificateTier, StackingRule
from frameworks.services import stacking_rule_spec
from frameworks.stacking import Earned, progress

from .models import (
    Collection,
    CollectionItem,
    Endorsement,
    ExternalCredential,
    Profile,
    RecipientEvidence,
    ShareEvent,
    WalletEntry,
)

WALLET_JOINS = ("achievement__issuer", "achievement__tier", "achievement__category")
# What the learner holds for stacking purposes: not revoked, expired or declined.
HELD_STATES = (Award.State.ISSUED, Award.State.ACCEPTED)
# URL name of the VC-API exchange (credentials/exchange.py); the detail page offers it once it is routed.
EXCHANGE_URL_NAME = "exchange:exchange"


class NotInWallet(Exception):
    """The credential exists but is not in this learner's wallet."""


# --- membership -------------------------------------------------------------------------------------


def verified_emails(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({normalize_email(email) for email in emails})


def address_owner(email: str):
    """The account that has verified this address, or None."""
    address = EmailAddress.objects.filter(email=normalize_email(email), verified=True).select_related("user").first()
    return address.user if address else None


# The columns a wallet card and stacking progress read (the signed credential, evidence and the category's
# SVG template stay in the database: a 300-credential wallet would otherwise move megabytes per render).
CARD_FIELDS = (
    "public_id", "state", "issued_at", "expires_at", "recipient_email",
    "achievement__slug", "achievement__name", "achievement__description", "achievement__tags",
    "achievement__level", "achievement__issuer__name",
    "achievement__tier__code", "achievement__tier__name", "achievement__tier__order",
    "achievement__category__code", "achievement__category__name", "achievement__category__order",
)  # fmt: skip


AWARD_CARD_FIELDS = ("public_id", "state", "issued_at", "expires_at", "recipient_email", "achievement_id")
ACHIEVEMENT_CARD_FIELDS = (
    "slug", "name", "description", "tags", "level", "issuer__name",
    "tier__code", "tier__name", "tier__order", "category__code", "category__name", "category__order",
)  # fmt: skip


def holder_awards(user, *, emails: list[str] | None = None):
    """Every award of the learner's wallet (a queryset; the VC-API exchange may use it to authorise)."""
    emails = verified_emails(user) if emails is None else emails
    return Award.objects.filter(recipient_email__in=emails).select_related(*WALLET_JOINS)


def award_owned_by(user, public_id: str) -> Award:
    """The award if it is in the user's wallet; Http404 when it does not exist, NotInWallet otherwise."""
    award = award_or_none(public_id)
    if award is None:
        raise Http404("No such credential")
    if normalize_email(award.recipient_email) not in verified_emails(user):
        raise NotInWallet(public_id)
    return award


def award_or_none(public_id: str) -> Award | None:
    return Award.objects.select_related(*AWARD_JOINS).filter(public_id=public_id).first()


def external_or_none(public_id: str) -> ExternalCredential | None:
    return ExternalCredential.objects.filter(public_id=public_id).defer("document").first()


def holds(user, award: Award) -> bool:
    return normalize_email(award.recipient_email) in verified_emails(user)


# --- the wallet page --------------------------------------------------------------------------------


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


def _url_pattern(name: str, key: str):
    """reverse() once with a marker, then fill in (slugs and public ids are URL-safe): a 300-card page
    would otherwise spend a fifth of its time in reverse()."""
    marker = "MARKER0x"
    head, tail = reverse(name, kwargs={key: marker}).split(marker)
    return lambda value: f"{head}{value}{tail}"


class _Urls:
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

    def month(self, moment) -> str:
        moment = timezone.localtime(moment)
        key = (moment.year, moment.month)
        if key not in self._months:
            self._months[key] = date_format(moment, "YEAR_MONTH_FORMAT")
        return self._months[key]


@dataclass
class Group:
    key: str
    label: str
    order: tuple
    cards: list[Card] = field(default_factory=list)


@dataclass
class RuleProgress:
    rule: StackingRule
    done: int
    needed: int
    matched: list[str]
    earned: bool

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.needed) if self.needed else 100


@dataclass
class Wallet:
    emails: list[str]
    groups: list[Group]
    group_choices: list[tuple[str, str]]
    total: int
    shown: int
    progress: list[RuleProgress]
    profile: Profile | None


STATE_LABELS = {
    "issued": gettext_lazy("Waiting for your answer"),
    "accepted": gettext_lazy("Accepted"),
    "declined": gettext_lazy("Declined"),
    "revoked": gettext_lazy("Revoked"),
    "expired": gettext_lazy("Expired"),
    "external": gettext_lazy("Imported"),
}
FILTER_STATES = ("issued", "accepted", "declined", "revoked", "expired")


def _award_card(award: Award, is_public: bool, urls: _Urls) -> Card:
    achievement = award.achievement
    state = award.effective_state
    if achievement.tier_id:
        kind, group = "certificate", f"tier:{achievement.tier.code}"
    else:
        kind, group = "badge", f"category:{achievement.category.code}"
    issuer = achievement.issuer.name
    return Card(
        kind=kind,
        public_id=award.public_id,
        name=achievement.name,
        issuer_name=issuer,
        issued=urls.month(award.issued_at),
        state=state,
        state_label=urls.labels.get(state, state),
        is_public=is_public,
        group=group,
        search_text=" ".join(
            [achievement.name, issuer, achievement.description, *map(str, achievement.tags or [])]
        ).casefold(),
        image_url=urls.image(achievement.slug),
        detail_url=urls.detail(award.public_id),
        public_url=urls.verify(award.public_id),
        award=award,
    )


def _external_card(item: ExternalCredential, urls: _Urls) -> Card:
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


def _group_of(card: Card) -> tuple[str, tuple]:
    if card.award is not None:
        achievement = card.award.achievement
        if achievement.tier_id:
            return str(achievement.tier.name), (0, achievement.tier.order, str(achievement.tier.name))
        return str(achievement.category.name), (1, achievement.category.order, str(achievement.category.name))
    return str(_("Imported from other issuers")), (2, 0, "")


def wallet(user, *, kind: str = "", state: str = "", group: str = "", q: str = "") -> Wallet:
    """The wallet page: cards grouped by tier and category, filtered; stacking progress. Fixed query count:
    emails, awards (with their public flag), achievements (joined), imports, rules (+2 prefetches), profile."""
    emails = verified_emails(user)
    awards = list(
        Award.objects.filter(recipient_email__in=emails)
        .only(*AWARD_CARD_FIELDS)
        .annotate(holder_public=Exists(WalletEntry.objects.filter(user=user, award=OuterRef("pk"), is_public=True)))
        .order_by("-issued_at", "-id")
    )
    # Achievements once each (a wallet holds many awards of few achievements), attached by id.
    achievements = (
        Achievement.objects.filter(pk__in=Award.objects.filter(recipient_email__in=emails).values("achievement_id"))
        .select_related("issuer", "tier", "category")
        .only(*ACHIEVEMENT_CARD_FIELDS)
    )
    by_id = {achievement.pk: achievement for achievement in achievements}
    for award in awards:
        award.achievement = by_id[award.achievement_id]
    externals = list(ExternalCredential.objects.filter(user=user).defer("document", "report"))
    urls = _Urls()
    cards = [_award_card(a, a.holder_public, urls) for a in awards] + [_external_card(e, urls) for e in externals]

    groups: dict[str, Group] = {}
    for card in cards:
        if card.group not in groups:
            label, order = _group_of(card)
            groups[card.group] = Group(key=card.group, label=label, order=order)
    group_choices = [(g.key, g.label) for g in sorted(groups.values(), key=lambda g: g.order)]

    needle = q.strip().casefold()
    shown = 0
    for card in cards:
        if kind and card.kind != kind:
            continue
        if state and card.state != state:
            continue
        if not state and card.state == "declined":
            continue  # declined credentials appear only when asked for
        if group and card.group != group:
            continue
        if needle and needle not in card.search_text:
            continue
        groups[card.group].cards.append(card)
        shown += 1

    return Wallet(
        emails=emails,
        groups=[g for g in sorted(groups.values(), key=lambda g: g.order) if g.cards],
        group_choices=group_choices,
        total=len(cards),
        shown=shown,
        progress=stacking_progress(awards),
        profile=Profile.objects.filter(user=user).first(),
    )


def stacking_progress(awards: list[Award]) -> list[RuleProgress]:
    """ "3 of 5": progress toward each stacking rule of the current framework that the learner's held
    credentials count toward (rules with nothing matched are left out)."""
    held = [a for a in awards if a.effective_state in HELD_STATES]
    if not held:
        return []
    earned = [
        Earned(
            slug=a.achievement.slug,
            category=a.achievement.category.code if a.achievement.category_id else None,
            tier=a.achievement.tier.code if a.achievement.tier_id else None,
            level=a.achievement.level,
        )
        for a in held
    ]
    names = {a.achievement.slug: a.achievement.name for a in held}
    rules = (
        StackingRule.objects.filter(framework__is_current=True)
        .select_related("result_tier", "result_category")
        .prefetch_related(
            Prefetch("allowed_categories", queryset=BadgeCategory.objects.only("id", "code", "name")),
            Prefetch("allowed_tiers", queryset=CertificateTier.objects.only("id", "code", "name")),
        )
    )
    result = []
    for rule in rules:
        spec = stacking_rule_spec(rule)
        outcome = progress(spec, earned)
        if not outcome.matched:
            continue
        result.append(
            RuleProgress(
                rule=rule,
                done=outcome.done,
                needed=outcome.needed,
                matched=[names.get(slug, slug) for slug in outcome.matched],
                earned=bool(rule.result_achievement) and rule.result_achievement in names,
            )
        )
    return result


# --- one credential, for its holder -----------------------------------------------------------------


@dataclass
class HolderView:
    award: Award
    entry: WalletEntry | None
    evidence: list[RecipientEvidence]
    endorsements: list[Endorsement]
    collections: list[Collection]
    share_counts: dict[str, int]

    @property
    def is_public(self) -> bool:
        return bool(self.entry and self.entry.is_public)


def holder_view(user, public_id: str) -> HolderView:
    award = award_owned_by(user, public_id)
    collections = list(
        Collection.objects.filter(user=user).annotate(
            has_award=Exists(CollectionItem.objects.filter(collection=OuterRef("pk"), award=award))
        )
    )
    counts = ShareEvent.objects.filter(award=award).values("channel").annotate(n=Count("id"))
    return HolderView(
        award=award,
        entry=WalletEntry.objects.filter(user=user, award=award).first(),
        evidence=list(RecipientEvidence.objects.filter(user=user, award=award)),
        endorsements=list(Endorsement.objects.filter(award=award).select_related("endorser_issuer")),
        collections=collections,
        share_counts={row["channel"]: row["n"] for row in counts},
    )


def exchange_offer(award: Award, *, request_origin: str) -> dict | None:
    """ "Add to a wallet app": the VC-API exchange links of credentials.exchange (exchange_url, deep_link,
    qr_svg, expires_at) for the holder's page, or None while the exchange is not routed (config/urls.py
    includes credentials.exchange_urls) or the credential cannot be delivered (revoked, expired)."""
    try:
        from credentials import exchange

        reverse(EXCHANGE_URL_NAME, kwargs={"token": "probe"})
    except (ImportError, NoReverseMatch):
        return None
    if award.effective_state in (Award.State.REVOKED, Award.State.EXPIRED):
        return None
    return exchange.exchange_links(award, request_origin=request_origin)


def external_for_owner(user, public_id: str) -> ExternalCredential:
    item = ExternalCredential.objects.filter(public_id=public_id).first()
    if item is None:
        raise Http404("No such credential")
    if item.user_id != user.pk:
        raise NotInWallet(public_id)
    return item


# --- what others see --------------------------------------------------------------------------------


def _public_entry(award: Award):
    """The holder's public wallet entry of the award (the holder = the account with the verified address)."""
    return WalletEntry.objects.filter(
        award=award,
        is_public=True,
        user__emailaddress__email=normalize_email(award.recipient_email),
        user__emailaddress__verified=True,
    )


def verification_additions(award: Award) -> dict:
    """What the verification page shows beside the issuer's data: the recipient's public evidence and the
    visible endorsements, only when the holder made the credential public. Two queries."""
    public = Exists(_public_entry(award).filter(user=OuterRef("user")))
    evidence = list(RecipientEvidence.objects.filter(award=award, is_public=True).filter(public))
    endorsements = list(
        Endorsement.objects.filter(award=award, state=Endorsement.State.GIVEN, is_hidden=False).filter(
            Exists(_public_entry(award))
        )
    )
    return {"recipient_evidence": evidence, "endorsements": endorsements}


def evidence_for_download(user, public_id: str) -> RecipientEvidence:
    """Evidence whose file the requester may read: its owner always; anyone when the evidence and the
    credential are public and the owner still holds the credential. Http404 / PermissionError otherwise."""
    item = RecipientEvidence.objects.select_related("award").filter(public_id=public_id).first()
    if item is None or not item.file:
        raise Http404("No such file")
    if getattr(user, "is_authenticated", False) and item.user_id == user.pk:
        return item
    if item.is_public and _public_entry(item.award).filter(user_id=item.user_id).exists():
        return item
    raise PermissionError(public_id)


def profile_public(handle: str):
    """(profile, cards, collections) of a public profile; Http404 when there is none or it is private."""
    profile = Profile.objects.select_related("user").filter(handle=handle, is_public=True).first()
    if profile is None:
        raise Http404("No such profile")
    user = profile.user
    emails = verified_emails(user)
    public = WalletEntry.objects.filter(user=user, is_public=True).values("award_id")
    awards = holder_awards(user, emails=emails).filter(pk__in=public).only(*CARD_FIELDS).order_by("-issued_at")
    urls = _Urls()
    cards = [
        _award_card(a, True, urls)
        for a in awards
        if a.effective_state not in (Award.State.REVOKED, Award.State.DECLINED)
    ]
    cards += [_external_card(e, urls) for e in ExternalCredential.objects.filter(user=user, is_public=True)]
    collections = list(Collection.objects.filter(user=user, is_public=True).annotate(n=Count("items")))
    return profile, cards, collections


def collection_items(collection: Collection, *, public_only: bool) -> list[Card]:
    """The cards of a collection in order; with public_only, only credentials the holder made public and
    still holds (never revoked or declined ones)."""
    user = collection.user
    emails = set(verified_emails(user))
    public = set(WalletEntry.objects.filter(user=user, is_public=True).values_list("award_id", flat=True))
    items = CollectionItem.objects.filter(collection=collection).select_related(
        *(f"award__{j}" for j in WALLET_JOINS), "external"
    )
    cards, urls = [], _Urls()
    for item in items:
        if item.award_id:
            award = item.award
            if normalize_email(award.recipient_email) not in emails:
                continue
            if public_only and (
                award.pk not in public or award.effective_state in (Award.State.REVOKED, Award.State.DECLINED)
            ):
                continue
            card = _award_card(award, award.pk in public, urls)
        else:
            if public_only and not item.external.is_public:
                continue
            card = _external_card(item.external, urls)
        card.item_id = item.pk
        cards.append(card)
    return cards


def collection_public(public_id: str) -> Collection:
    collection = Collection.objects.select_related("user__wallet_profile").filter(public_id=public_id).first()
    if collection is None:
        raise Http404("No such collection")
    return collection


def collection_for_owner(user, public_id: str) -> Collection:
    collection = Collection.objects.filter(public_id=public_id, user=user).first()
    if collection is None:
        raise Http404("No such collection")
    return collection


def collections_of(user) -> list[Collection]:
    return list(Collection.objects.filter(user=user).annotate(n=Count("items")))


def endorsements_public_of(award: Award) -> list[Endorsement]:
    """The endorsements of an award that anyone can fetch (given, not hidden), as endorsement_public serves."""
    return list(Endorsement.objects.filter(award=award, state=Endorsement.State.GIVEN, is_hidden=False).order_by("pk"))


def endorsement_public(public_id: str) -> Endorsement:
    item = (
        Endorsement.objects.select_related(*(f"award__{j}" for j in AWARD_JOINS), "endorser_issuer")
        .filter(public_id=public_id, state=Endorsement.State.GIVEN, is_hidden=False)
        .first()
    )
    if item is None:
        raise Http404("No such endorsement")
    return item


def endorsement_for_token(public_id: str) -> Endorsement | None:
    return (
        Endorsement.objects.select_related(*(f"award__{j}" for j in AWARD_JOINS))
        .filter(public_id=public_id, kind=Endorsement.Kind.PEER)
        .first()
    )


def share_events_of(user) -> list[ShareEvent]:
    return list(ShareEvent.objects.filter(user=user).select_related("award"))
