"""The wallet page, one credential for its holder, and the learner's collections."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from credentials.models import Achievement, Award
from credentials.openbadges.ob3 import normalize_email
from frameworks.models import BadgeCategory, CertificateTier, StackingRule
from frameworks.services import stacking_rule_spec
from frameworks.stacking import Earned, progress

from ..models import (
    Collection,
    CollectionItem,
    Endorsement,
    ExternalCredential,
    Profile,
    RecipientEvidence,
    ShareEvent,
    WalletEntry,
)
from .cards import ACHIEVEMENT_CARD_FIELDS, AWARD_CARD_FIELDS, Card, CardUrls, award_card, external_card
from .membership import HELD_STATES, WALLET_JOINS, award_owned_by, verified_emails

# Cards on one page of the wallet: rendering is most of the page's cost, so a page of 48 (divisible by the
# grid's 2, 3 and 4 columns) costs the same for 50 credentials as for 500 (issue 13).
PAGE_SIZE = 48

# URL name of the VC-API exchange (credentials/exchange.py); the detail page offers it once it is routed.
EXCHANGE_URL_NAME = "exchange:exchange"


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
    page: Page | None = None  # the shown cards of the asked page (get_page: a bad number gives page 1 or the last)


def _group_of(card: Card) -> tuple[str, tuple]:
    if card.award is not None:
        achievement = card.award.achievement
        if achievement.tier_id:
            return str(achievement.tier.name), (0, achievement.tier.order, str(achievement.tier.name))
        return str(achievement.category.name), (1, achievement.category.order, str(achievement.category.name))
    return str(_("Imported from other issuers")), (2, 0, "")


def wallet(user, *, kind: str = "", state: str = "", group: str = "", q: str = "", page=None) -> Wallet:
    """The wallet page: cards grouped by tier and category, filtered, one page of PAGE_SIZE of them; stacking
    progress. Fixed query count: emails, awards (with their public flag), achievements (joined), imports,
    rules (+2 prefetches), profile."""
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
    attach = Award.achievement.field.set_cached_value  # what select_related does: the descriptor's checks cost
    for award in awards:  # a fifth of the selector's time at 300 awards
        attach(award, by_id[award.achievement_id])
    externals = list(ExternalCredential.objects.filter(user=user).defer("document", "report"))
    urls = CardUrls()
    cards = [award_card(a, a.holder_public, urls) for a in awards] + [external_card(e, urls) for e in externals]

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
        card.group_label = groups[card.group].label
        groups[card.group].cards.append(card)
        shown += 1

    shown_groups = [g for g in sorted(groups.values(), key=lambda g: g.order) if g.cards]
    return Wallet(
        emails=emails,
        groups=shown_groups,
        group_choices=group_choices,
        total=len(cards),
        shown=shown,
        progress=stacking_progress(awards),
        profile=Profile.objects.filter(user=user).first(),
        page=Paginator([card for g in shown_groups for card in g.cards], PAGE_SIZE).get_page(page),
    )


def earned_of(awards: list[Award]) -> list[Earned]:
    """What frameworks.stacking counts of these (held) awards."""
    return [
        Earned(
            slug=a.achievement.slug,
            category=a.achievement.category.code if a.achievement.category_id else None,
            tier=a.achievement.tier.code if a.achievement.tier_id else None,
            level=a.achievement.level,
        )
        for a in awards
    ]


def current_rules():
    """The current framework's stacking rules with what `stacking_rule_spec` and the pages read (3 queries)."""
    return (
        StackingRule.objects.filter(framework__is_current=True)
        .select_related("result_tier", "result_category")
        .prefetch_related(
            Prefetch("allowed_categories", queryset=BadgeCategory.objects.only("id", "code", "name")),
            Prefetch("allowed_tiers", queryset=CertificateTier.objects.only("id", "code", "name")),
        )
    )


def stacking_progress(awards: list[Award]) -> list[RuleProgress]:
    """ "3 of 5": progress toward each stacking rule of the current framework that the learner's held
    credentials count toward (rules with nothing matched are left out)."""
    held = [a for a in awards if a.effective_state in HELD_STATES]
    if not held:
        return []
    earned = earned_of(held)
    names = {a.achievement.slug: a.achievement.name for a in held}
    rules = current_rules()
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
    """ "Add to a wallet app": the VC-API exchange links of exchange.services (exchange_url, deep_link,
    qr_svg, expires_at) for the holder's page, or None while the exchange is not routed (config/urls.py
    includes exchange.urls) or the credential cannot be delivered (revoked, expired)."""
    try:
        from exchange import services as exchange

        reverse(EXCHANGE_URL_NAME, kwargs={"token": "probe"})
    except (ImportError, NoReverseMatch):
        return None
    if award.effective_state in (Award.State.REVOKED, Award.State.EXPIRED):
        return None
    return exchange.exchange_links(award, request_origin=request_origin)


def collection_items(collection: Collection, *, public_only: bool) -> list[Card]:
    """The cards of a collection in order; with public_only, only credentials the holder made public and
    still holds (never revoked or declined ones)."""
    user = collection.user
    emails = set(verified_emails(user))
    public = set(WalletEntry.objects.filter(user=user, is_public=True).values_list("award_id", flat=True))
    items = CollectionItem.objects.filter(collection=collection).select_related(
        *(f"award__{j}" for j in WALLET_JOINS), "external"
    )
    cards, urls = [], CardUrls()
    for item in items:
        if item.award_id:
            award = item.award
            if normalize_email(award.recipient_email) not in emails:
                continue
            if public_only and (
                award.pk not in public or award.effective_state in (Award.State.REVOKED, Award.State.DECLINED)
            ):
                continue
            card = award_card(award, award.pk in public, urls)
        else:
            if public_only and not item.external.is_public:
                continue
            card = external_card(item.external, urls)
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
