"""Automatic stacking: when a recipient's countable credentials satisfy a stacking rule of the current
framework, its result credential is issued once (or suggested to staff, as the rule says).

Countable (ADR 17): issued to the recipient identity (identity.py) and not declined, revoked or
expired: accepted, or issued and still waiting for the recipient's answer (a pending claim has not been
declined; the result is itself a credential the recipient may accept or decline).

Exactly once: the StackingOutcome row (unique per identity and result achievement) is inserted in the same
transaction as the result award; of two evaluations racing on the last two credentials of a stack, one
insert wins and the other rolls back to its savepoint and issues nothing. Evaluations run after the
transaction that issued or accepted a credential commits, so at least one of them sees both.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from credentials.claim_emails import KIND_CLAIM, claim_email_context
from credentials.links import absolute
from credentials.models import Achievement, Award
from credentials.services import Recipient, award_issue
from frameworks.models import BadgeCategory, CertificateTier, StackingRule
from frameworks.services import stacking_rule_spec
from frameworks.stacking import Earned, RuleSpec, counts, progress
from outbox.services import mail

from .identity import Identity, identity_of
from .models import StackingOutcome

logger = logging.getLogger(__name__)

COUNTABLE = (Award.State.ISSUED, Award.State.ACCEPTED)
PERM = "credentials.add_award"  # approving or dismissing a suggestion: issuing the result achievement


@dataclass(frozen=True)
class ActiveRule:
    rule: StackingRule
    spec: RuleSpec
    result: Achievement


def active_rules(*, slug: str | None = None) -> list[ActiveRule]:
    """The current framework's rules that name a result achievement that can be issued."""
    rules = (
        StackingRule.objects.filter(framework__is_current=True)
        .exclude(result_achievement="")
        .prefetch_related(
            Prefetch("allowed_categories", queryset=BadgeCategory.objects.only("id", "code")),
            Prefetch("allowed_tiers", queryset=CertificateTier.objects.only("id", "code")),
        )
    )
    if slug:
        rules = rules.filter(slug=slug)
    rules = list(rules)
    results = {
        a.slug: a
        for a in Achievement.objects.filter(
            slug__in={r.result_achievement for r in rules}, status=Achievement.Status.PUBLISHED, is_active=True
        ).select_related("issuer", "tier", "category")
    }
    return [
        ActiveRule(rule=rule, spec=stacking_rule_spec(rule), result=results[rule.result_achievement])
        for rule in rules
        if rule.result_achievement in results
    ]


def earned_of(award: Award) -> Earned:
    return _earned(award.achievement)


def _earned(achievement: Achievement) -> Earned:
    return Earned(
        slug=achievement.slug,
        category=achievement.category.code if achievement.category_id else None,
        tier=achievement.tier.code if achievement.tier_id else None,
        level=achievement.level,
    )


# What an evaluation reads of an award (not the signed credential: a large JSON column).
COUNTED_FIELDS = (
    "id", "public_id", "recipient_email", "recipient_name", "recipient_language", "issued_at", "expires_at", "state",
    "achievement__id", "achievement__slug", "achievement__name", "achievement__level", "achievement__tier__code",
    "achievement__category__code",
)  # fmt: skip


def _countable(identity: Identity) -> list[Award]:
    awards = (
        Award.objects.filter(recipient_email__in=identity.emails, state__in=COUNTABLE)
        .select_related("achievement__tier", "achievement__category")
        .only(*COUNTED_FIELDS)
        .order_by("issued_at", "id")
    )
    return [award for award in awards if award.effective_state in COUNTABLE]


def stacking_evaluate(*, email: str, rules: list[ActiveRule] | None = None) -> list[StackingOutcome]:
    """Apply the stacking rules to the credentials of the recipient identity of `email`. Returns the outcomes
    created now (issued or suggested); nothing for rules already completed once. Idempotent."""
    rules = active_rules() if rules is None else rules
    if not rules:
        return []
    identity = identity_of(email)
    held = _countable(identity)
    if not held:
        return []
    held_slugs = {award.achievement.slug for award in held}
    done = set(StackingOutcome.objects.filter(identity__in=identity.keys).values_list("result_id", flat=True))
    created = []
    for active in rules:
        if active.result.pk in done or active.result.slug in held_slugs:
            continue  # completed once already, or the recipient holds the result anyway
        first_of_slug: dict[str, Award] = {}
        for award in held:
            first_of_slug.setdefault(award.achievement.slug, award)
        outcome = progress(active.spec, [earned_of(award) for award in first_of_slug.values()])
        if not outcome.satisfied:
            continue
        counted = [first_of_slug[slug] for slug in outcome.matched[: outcome.needed]]
        made = _outcome_create(active, identity=identity, counted=counted)
        if made is not None:
            done.add(active.result.pk)
            created.append(made)
    return created


def _outcome_create(active: ActiveRule, *, identity: Identity, counted: list[Award]) -> StackingOutcome | None:
    """Insert the outcome and, for an automatic rule, issue the result, in one transaction; None when another
    evaluation recorded it first."""
    latest = max(counted, key=lambda award: (award.issued_at, award.pk))
    suggest = active.rule.on_complete == StackingRule.OnComplete.SUGGEST
    try:
        with transaction.atomic():
            outcome = StackingOutcome.objects.create(
                identity=identity.key,
                rule=active.rule,
                rule_slug=active.rule.slug,
                result=active.result,
                recipient_email=identity.email,
                recipient_name=latest.recipient_name,
                recipient_language=latest.recipient_language,
                state=StackingOutcome.State.SUGGESTED if suggest else StackingOutcome.State.ISSUED,
            )
            outcome.counted.set(counted)
            if suggest:
                audit_record(
                    action="stacking.suggest",
                    subject=outcome,
                    data=_audit_data(outcome, counted),
                    programme=active.result.programme_id,
                )
            else:
                _issue(outcome, counted=counted, actor=None)
    except IntegrityError:
        logger.info("stacking: %s already completed for %s", active.result.slug, identity.key)
        return None
    return outcome


def _audit_data(outcome: StackingOutcome, counted: list[Award]) -> dict:
    return {
        "rule": outcome.rule_slug,
        "result": outcome.result.slug,
        "identity": outcome.identity,
        "counted": [award.public_id for award in counted],
    }


def _evidence(counted: list[Award]) -> list[dict]:
    return [
        {"url": absolute("verify_page", public_id=award.public_id), "name": award.achievement.name} for award in counted
    ]


def _issue(outcome: StackingOutcome, *, counted: list[Award], actor) -> Award:
    """Issue the result credential of an outcome (inside the caller's transaction), audit it naming the rule,
    and tell the recipient: their claim email is this stacking email (same dedupe key, so one email)."""
    award = award_issue(
        achievement=outcome.result,
        recipient=Recipient(
            email=outcome.recipient_email,
            name=outcome.recipient_name,
            language=outcome.recipient_language,
            evidence=_evidence(counted),
            idempotency_key=f"stacking:{outcome.pk}",
        ),
        actor=actor,
    )
    outcome.award = award
    outcome.state = StackingOutcome.State.ISSUED
    outcome.save(update_fields=["award", "state"])
    audit_record(
        action="stacking.issue",
        subject=award,
        actor=actor,
        data={**_audit_data(outcome, counted), "outcome": outcome.pk},
        programme=outcome.result.programme_id,
    )
    rule_name = outcome.rule.name if outcome.rule_id else outcome.rule_slug
    mail(
        to=award.recipient_email,
        template="stacking/email/stacked",
        context={
            **claim_email_context(award),
            "rule_name": rule_name,
            "counted_names": [item.achievement.name for item in counted],
        },
        language=award.recipient_language,
        kind=KIND_CLAIM,
        dedupe_key=f"claim:{award.pk}",
        award=award,
    )
    return award


def _locked_suggestion(outcome: StackingOutcome) -> StackingOutcome:
    locked = StackingOutcome.objects.select_for_update().select_related("result", "rule").get(pk=outcome.pk)
    if locked.state != StackingOutcome.State.SUGGESTED:
        raise ValidationError(
            _("This suggestion was already decided (%(state)s).") % {"state": locked.get_state_display()}
        )
    return locked


@transaction.atomic
def stacking_suggestion_approve(*, outcome: StackingOutcome, actor) -> Award:
    """Issue a suggested result credential. Needs `credentials.add_award` on the result achievement."""
    access.require(actor, PERM, obj=outcome.result)
    locked = _locked_suggestion(outcome)
    counted = list(locked.counted.select_related("achievement").order_by("issued_at", "id"))
    award = _issue(locked, counted=counted, actor=actor)
    locked.decided_at, locked.decided_by = timezone.now(), actor
    locked.save(update_fields=["decided_at", "decided_by"])
    return award


@transaction.atomic
def stacking_suggestion_dismiss(*, outcome: StackingOutcome, actor) -> StackingOutcome:
    """Refuse a suggestion: nothing is issued, and the rule does not suggest it again for this recipient."""
    access.require(actor, PERM, obj=outcome.result)
    locked = _locked_suggestion(outcome)
    locked.state = StackingOutcome.State.DISMISSED
    locked.decided_at, locked.decided_by = timezone.now(), actor
    locked.save(update_fields=["state", "decided_at", "decided_by"])
    counted = list(locked.counted.all())
    audit_record(
        action="stacking.dismiss",
        subject=locked,
        actor=actor,
        data=_audit_data(locked, counted),
        programme=locked.result.programme_id,
    )
    return locked


def stacking_evaluate_awards(*, award_ids: list[int]) -> int:
    """After these awards were issued or accepted: evaluate their recipients, only for rules one of them can
    count toward (a bulk batch of unrelated awards costs two queries). Returns how many outcomes were made."""
    rules = active_rules()
    if not rules:
        return 0
    rows = list(Award.objects.filter(pk__in=award_ids).values_list("achievement_id", "recipient_email"))
    achievements = Achievement.objects.filter(pk__in={pk for pk, _email in rows}).select_related("tier", "category")
    earned = {achievement.pk: _earned(achievement) for achievement in achievements}
    relevant = [active for active in rules if any(counts(active.spec, item) for item in earned.values())]
    if not relevant:
        return 0
    counting = {pk for pk, item in earned.items() if any(counts(active.spec, item) for active in relevant)}
    made = 0
    for email in sorted({email for pk, email in rows if pk in counting}):
        made += len(stacking_evaluate(email=email, rules=relevant))
    return made


def stacking_backfill(*, rule_slug: str | None = None) -> dict:
    """Apply the rules (or one) to every recipient who holds a credential that counts toward them: for a rule
    added after the credentials were issued. Idempotent. Returns {"recipients", "issued", "suggested"}."""
    rules = active_rules(slug=rule_slug)
    if rule_slug and not rules:
        raise ValidationError(
            _("No rule “%(slug)s” of the current framework names an achievement that can be issued.")
            % {"slug": rule_slug}
        )
    achievements = Achievement.objects.select_related("tier", "category")
    relevant_ids = [a.pk for a in achievements if any(counts(active.spec, _earned(a)) for active in rules)]
    emails = (
        Award.objects.filter(achievement_id__in=relevant_ids, state__in=COUNTABLE)
        .values_list("recipient_email", flat=True)
        .distinct()
        .order_by("recipient_email")
    )
    seen, totals = set(), {"recipients": 0, "issued": 0, "suggested": 0}
    for email in emails.iterator():
        key = identity_of(email).key
        if key in seen:
            continue
        seen.add(key)
        totals["recipients"] += 1
        for outcome in stacking_evaluate(email=email, rules=rules):
            totals["issued" if outcome.state == StackingOutcome.State.ISSUED else "suggested"] += 1
    return totals
