"""Organisation rules applied: what an organisation holds and what its members share, each rule's progress, and
the automatic issue of a rule's result credential, once per organisation and result.

What counts (ADR 20):
- the organisation's own credentials: awards of recipient kind "organisation" issued to its `email`, issued or
  accepted, not declined, revoked or expired;
- its members' credentials: shared with it (`SharedCredential`), issued to one of that member's confirmed
  addresses, issued or accepted, not declined, revoked or expired; each member counts once per achievement.

Exactly once: an evaluation locks the organisation's row (select_for_update) for its transaction, so two
evaluations of one organisation run one after the other and the second sees the first's outcome; the
`OrganisationOutcome` row (unique per organisation and result achievement) is inserted with the result award
inside a savepoint, so that a database without row locks (SQLite) still issues nothing twice. Evaluations run
after the transaction that shared, issued or accepted a credential commits (`evaluate_on_commit`), so at least
one of two racing evaluations sees both credentials.
"""

import logging
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from credentials.links import absolute
from credentials.models import Achievement, Award
from credentials.openbadges.ob3 import normalize_email
from credentials.services import Recipient, award_issue
from outbox.services import mail

from .links import manage_url, organisation_url
from .models import (
    Organisation,
    OrganisationAdmin,
    OrganisationInvite,
    OrganisationOutcome,
    OrganisationRule,
    RuleRequirement,
    SharedCredential,
)

logger = logging.getLogger(__name__)

COUNTABLE = (Award.State.ISSUED, Award.State.ACCEPTED)
KIND_AWARDED = "organisation_awarded"
AWARD_FIELDS = (
    "id", "public_id", "recipient_email", "recipient_kind", "recipient_name", "issued_at", "expires_at", "state",
    "achievement__id", "achievement__slug", "achievement__name",
)  # fmt: skip


@dataclass
class MemberProgress:
    requirement: RuleRequirement
    holders: dict = field(default_factory=dict)  # member id → award

    @property
    def count(self) -> int:
        return len(self.holders)

    @property
    def met(self) -> bool:
        return self.count >= self.requirement.minimum


@dataclass
class RuleProgress:
    rule: OrganisationRule
    organisation_needs: list  # [(achievement, award or None)]
    member_needs: list[MemberProgress]
    outcome: OrganisationOutcome | None = None

    @property
    def satisfied(self) -> bool:
        return all(award is not None for _a, award in self.organisation_needs) and all(
            item.met for item in self.member_needs
        )

    def counted(self) -> list[Award]:
        """The credentials that make the rule true (for each member requirement, its first `minimum` holders)."""
        awards = [award for _a, award in self.organisation_needs if award is not None]
        for item in self.member_needs:
            chosen = sorted(item.holders.values(), key=lambda a: (a.issued_at, a.pk))[: item.requirement.minimum]
            awards += chosen
        return awards


def active_rules(programme_id: int):
    return list(
        OrganisationRule.objects.filter(programme_id=programme_id, is_active=True)
        .select_related("result__category", "result__issuer")
        .prefetch_related(
            Prefetch("required_achievements", queryset=Achievement.objects.only("id", "slug", "name")),
            Prefetch("requirements", queryset=RuleRequirement.objects.select_related("achievement").order_by("id")),
        )
    )


def organisation_held(organisation: Organisation) -> dict[int, Award]:
    """{achievement id: the organisation's first countable credential of it}. One query."""
    awards = (
        Award.objects.filter(
            recipient_email=organisation.email,
            recipient_kind=Award.RecipientKind.ORGANISATION,
            state__in=COUNTABLE,
        )
        .select_related("achievement")
        .only(*AWARD_FIELDS)
        .order_by("issued_at", "id")
    )
    held: dict[int, Award] = {}
    for award in awards:
        if award.effective_state in COUNTABLE:
            held.setdefault(award.achievement_id, award)
    return held


def member_shares(organisation: Organisation) -> dict[int, dict[int, Award]]:
    """{achievement id: {member id: award}} of the countable credentials members shared. Two queries."""
    shares = list(
        SharedCredential.objects.filter(
            member__organisation=organisation,
            award__state__in=COUNTABLE,
            award__recipient_kind=Award.RecipientKind.PERSON,
        )
        .select_related("member", "award__achievement")
        .order_by("award__issued_at", "award_id")
    )
    addresses: dict[int, set[str]] = {}
    for user_id, email in EmailAddress.objects.filter(
        user_id__in={share.member.user_id for share in shares}, verified=True
    ).values_list("user_id", "email"):
        addresses.setdefault(user_id, set()).add(normalize_email(email))
    found: dict[int, dict[int, Award]] = {}
    for share in shares:
        award = share.award
        if award.effective_state not in COUNTABLE:
            continue
        if normalize_email(award.recipient_email) not in addresses.get(share.member.user_id, set()):
            continue  # no longer an address of theirs: it does not count
        found.setdefault(award.achievement_id, {}).setdefault(share.member_id, award)
    return found


def progress(organisation: Organisation, *, rules=None, held=None) -> list[RuleProgress]:
    """Each active rule of the organisation's programme with what is held, what is missing, and its outcome."""
    rules = active_rules(organisation.programme_id) if rules is None else rules
    if not rules:
        return []
    held = organisation_held(organisation) if held is None else held
    shared = member_shares(organisation)
    outcomes = {
        outcome.result_id: outcome
        for outcome in OrganisationOutcome.objects.filter(organisation=organisation).select_related("award")
    }
    return [
        RuleProgress(
            rule=rule,
            organisation_needs=[(a, held.get(a.pk)) for a in rule.required_achievements.all()],
            member_needs=[
                MemberProgress(requirement=r, holders=dict(shared.get(r.achievement_id, {})))
                for r in rule.requirements.all()
            ],
            outcome=outcomes.get(rule.result_id),
        )
        for rule in rules
    ]


def organisation_evaluate(*, organisation_id: int) -> list[OrganisationOutcome]:
    """Apply the organisation's rules: issue each result credential it has earned and not received. Idempotent;
    returns the outcomes made now."""
    made = []
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(pk=organisation_id, is_active=True).first()
        if organisation is None:
            return []
        rules = active_rules(organisation.programme_id)
        if not rules:
            return []
        held = organisation_held(organisation)
        for item in progress(organisation, rules=rules, held=held):
            if item.outcome is not None or item.rule.result_id in held or not item.satisfied:
                continue
            outcome = _outcome_create(organisation, item)
            if outcome is not None:
                made.append(outcome)
    return made


def _narrative(item: RuleProgress) -> str:
    with translation.override(item.rule.result.language or settings.LANGUAGE_CODE):
        parts = [a.name for a, _award in item.organisation_needs]
        parts += [
            _("%(count)d members hold “%(name)s”") % {"count": need.minimum, "name": need.achievement.name}
            for need in (m.requirement for m in item.member_needs)
        ]
        return _("Issued automatically by the rule “%(rule)s”: %(parts)s.") % {
            "rule": item.rule.name,
            "parts": "; ".join(parts),
        }


def _outcome_create(organisation: Organisation, item: RuleProgress) -> OrganisationOutcome | None:
    rule, counted = item.rule, item.counted()
    try:
        with transaction.atomic():
            award = award_issue(
                achievement=rule.result,
                recipient=Recipient(
                    email=organisation.email,
                    name=organisation.name,
                    kind=Award.RecipientKind.ORGANISATION,
                    narrative=_narrative(item),
                    evidence=[
                        {"url": absolute("verify_page", public_id=a.public_id), "name": a.achievement.name}
                        for a in counted
                    ],
                    idempotency_key=f"organisation:{organisation.pk}:{rule.result_id}",
                ),
                actor=None,
            )
            outcome = OrganisationOutcome.objects.create(
                organisation=organisation,
                rule=rule,
                rule_name=rule.name,
                result=rule.result,
                award=award,
                counted=[a.public_id for a in counted],
            )
            audit_record(
                action="organisation.rule_issue",
                subject=award,
                data={
                    "rule": rule.pk,
                    "rule_name": rule.name,
                    "organisation": organisation.slug,
                    "counted": outcome.counted,
                },
                programme=organisation.programme_id,
            )
            _notify_admins(organisation, award=award, rule=rule)
    except IntegrityError:
        logger.info("organisations: %s already earned by %s", rule.result.slug, organisation.slug)
        return None
    except ValidationError as exc:  # the result can no longer be issued (archived since): try again later
        logger.warning("organisations: rule %s cannot issue %s: %s", rule.pk, rule.result.slug, exc.messages)
        return None
    return outcome


def _notify_admins(organisation: Organisation, *, award: Award, rule: OrganisationRule) -> None:
    """Email each admin (in the language of the invitation they accepted)."""
    languages = dict(
        OrganisationInvite.objects.filter(
            organisation=organisation, role=OrganisationInvite.Role.ADMIN, state=OrganisationInvite.State.ACCEPTED
        ).values_list("accepted_by_id", "language")
    )
    for row in OrganisationAdmin.objects.filter(organisation=organisation).select_related("user"):
        if not row.user.email:
            continue
        mail(
            to=row.user.email,
            template="organisations/email/awarded",
            context={
                "organisation": organisation,
                "achievement_name": award.achievement.name,
                "rule_name": rule.name,
                "verify_url": absolute("verify_page", public_id=award.public_id),
                "organisation_url": organisation_url(organisation),
                "manage_url": manage_url(organisation),
            },
            language=languages.get(row.user_id, settings.LANGUAGE_CODE),
            kind=KIND_AWARDED,
            dedupe_key=f"{KIND_AWARDED}:{award.pk}:{row.user_id}",
        )


def evaluate_on_commit(organisation_id: int) -> None:
    """Evaluate the organisation's rules once the current transaction commits (a task)."""

    def enqueue():
        from .tasks import organisation_evaluate as task

        task.delay(organisation_id)

    transaction.on_commit(enqueue)


def organisations_evaluate_awards(*, award_ids: list[int]) -> int:
    """After these awards were issued or accepted: evaluate the organisations they were issued to."""
    emails = set(
        Award.objects.filter(pk__in=award_ids, recipient_kind=Award.RecipientKind.ORGANISATION).values_list(
            "recipient_email", flat=True
        )
    )
    if not emails:
        return 0
    made = 0
    for pk in Organisation.objects.filter(email__in=emails, is_active=True).values_list("pk", flat=True):
        made += len(organisation_evaluate(organisation_id=pk))
    return made


def organisations_backfill(*, programme_slug: str | None = None) -> dict:
    """Evaluate every active organisation (of one programme): for rules added after the credentials were
    issued and shared. Idempotent. Returns {"organisations", "issued"}."""
    organisations = Organisation.objects.filter(is_active=True).order_by("pk")
    if programme_slug:
        organisations = organisations.filter(programme__slug=programme_slug)
    totals = {"organisations": 0, "issued": 0}
    for pk in organisations.values_list("pk", flat=True):
        totals["organisations"] += 1
        totals["issued"] += len(organisation_evaluate(organisation_id=pk))
    return totals
