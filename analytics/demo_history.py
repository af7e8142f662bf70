"""Two years of demo history for the analytics pages (`manage.py demo_history`, run by load_demo once).

A few thousand awards across the programmes' achievements, each really signed (about 6 ms an award) and written
by bulk inserts, with realistic answers (most accept within days, a few decline), revocations, expiries, shares
on the usual channels, verification-page views, claim-email opens and clicks, and follow-up survey answers; then
the rollups are rebuilt. Recipients are invented (example.org addresses). Nothing is mailed and no artefact is
rendered: history is data, not work to redo.
"""

import random
import unicodedata
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from credentials.models import Achievement, Award
from credentials.services import Recipient, award_revoke, issuer_active_key
from credentials.services.issuing import _award_build
from credentials.services.status_lists import _insert_with_status_indexes
from programmes.models import Programme
from surveys.models import Invitation, Survey
from wallets.models import ShareEvent

from . import rollups
from .models import AwardDayCount, Kind

MARK = "history:"  # idempotency keys of history awards: their presence means the history exists
# The nine training programmes of the ITCILO (brief: "nine ITCILO Training Programmes"), used when the database
# has no programme yet.
PROGRAMMES = [
    ("employment-policy", "Employment Policy and Analysis"),
    ("enterprise-development", "Enterprise Development"),
    ("social-protection", "Social Protection"),
    ("labour-standards-gender", "International Labour Standards, Rights at Work and Gender Equality"),
    ("employers-activities", "Employers' Activities"),
    ("workers-activities", "Workers' Activities"),
    ("social-dialogue", "Social Dialogue and Labour Administration"),
    ("sustainable-development", "Sustainable Development and Governance"),
    ("learning-innovation", "Learning Innovation"),
]
FIRST = ["Amina", "Luis", "Mei", "Kwame", "Sofia", "Ravi", "Fatou", "Jonas", "Aiko", "Carlos", "Leila", "Pierre",
         "Nadia", "Tomás", "Grace", "Omar", "Ingrid", "Chen", "Zanele", "Marco"]  # fmt: skip
LAST = ["Okonkwo", "García", "Wang", "Mensah", "Rossi", "Patel", "Diop", "Berg", "Sato", "Silva", "Haddad",
        "Dubois", "Khan", "López", "Njoroge", "Farouk", "Larsen", "Li", "Dlamini", "Bianchi"]  # fmt: skip
CHANNELS = [("linkedin_profile", 30), ("linkedin", 22), ("email", 10), ("signature", 8), ("link", 12),
            ("embed", 4), ("qr", 4), ("x", 4), ("facebook", 3), ("whatsapp", 3)]  # fmt: skip


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def history_exists() -> bool:
    return Award.objects.filter(idempotency_key__startswith=MARK).exists()


def _programmes() -> list[Programme]:
    programmes = list(Programme.objects.filter(is_active=True).order_by("pk"))
    if programmes:
        return programmes
    return [Programme.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in PROGRAMMES]


def _assign(achievements: list[Achievement], programmes: list[Programme]) -> None:
    """Achievements of no programme get one, in turn (load_demo's own assignment wins when it made one)."""
    for index, achievement in enumerate(a for a in achievements if a.programme_id is None):
        achievement.programme = programmes[index % len(programmes)]
        achievement.save(update_fields=["programme"])


def build(*, awards: int = 3000, days: int = 730, seed: int = 11, now=None, run: str = "") -> dict:
    """`run` tells apart the idempotency keys of a further history (--force)."""
    now = now or timezone.now()
    rng = random.Random(seed)
    achievements = list(
        Achievement.objects.filter(is_active=True, status=Achievement.Status.PUBLISHED).select_related(
            "issuer", "category"
        )
    )
    if not achievements:
        return {"awards": 0}
    with transaction.atomic():
        _assign(achievements, _programmes())
        weights = [rng.uniform(0.3, 3) for _ in achievements]  # some achievements are issued far more
        made: list[Award] = []
        for achievement in achievements:
            share = weights[achievements.index(achievement)] / sum(weights)
            count = max(5, int(awards * share))
            key = issuer_active_key(achievement.issuer)
            person = achievement.tier_id is not None or "person" in (achievement.category.recipient_kinds or [])
            batch = []
            for n in range(count):
                # Growth: more awards recently (the square root of a uniform draw leans towards today).
                age = days * (1 - rng.random() ** 0.5)
                issued_at = now - timedelta(days=age, minutes=rng.randrange(1440))
                first, last = rng.choice(FIRST), rng.choice(LAST)
                expires_at = None
                if achievement.validity_days:
                    expires_at = issued_at + timedelta(days=achievement.validity_days)
                elif rng.random() < 0.15:
                    expires_at = issued_at + timedelta(days=365)
                batch.append(
                    _answer(
                        _award_build(
                            achievement=achievement,
                            key=key,
                            recipient=Recipient(
                                email=f"{_ascii(first)}.{_ascii(last)}.{achievement.pk}.{n}@example.org",
                                name=f"{first} {last}" if person else f"{last} Workers' Cooperative",
                                kind=Award.RecipientKind.PERSON if person else Award.RecipientKind.ORGANISATION,
                                language=rng.choice(["en", "en", "fr", "es"]),
                                issued_at=issued_at,
                                expires_at=expires_at,
                                idempotency_key=f"{MARK}{run}{achievement.pk}:{n}",
                            ),
                        ),
                        rng,
                        now,
                    )
                )
            for start in range(0, len(batch), 500):
                _insert_with_status_indexes(batch[start : start + 500])
            made += batch
        changed = _revocations(made, rng, now)
        shares = _shares(made, rng, now)
        counts = _counts(made, rng, now)
        surveys = _surveys(achievements, made, rng, now)
    written = rollups.rebuild(now=now)
    return {"awards": len(made), "revoked": changed, "shares": shares, "day_counts": counts,
            "survey_answers": surveys, "rollups": written}  # fmt: skip


def _answer(award: Award, rng, now) -> Award:
    """Most recipients accept within days, a few decline; a credential past its expiry date is expired (set
    before the insert: the state is not part of the signed credential)."""
    draw = rng.random()
    answered_at = award.issued_at + timedelta(days=rng.expovariate(1 / 4), hours=rng.randrange(24))
    if answered_at <= now and draw < 0.69:
        award.state = Award.State.ACCEPTED if draw < 0.64 else Award.State.DECLINED
        award.state_changed_at = answered_at
    if award.expires_at and award.expires_at <= now:
        award.state, award.state_changed_at = Award.State.EXPIRED, award.expires_at
    return award


def _revocations(awards: list[Award], rng, now) -> int:
    """About 2% revoked through the service (their status-list bit set, audited), dated in the past."""
    revoked = []
    for award in awards:
        if rng.random() < 0.02:
            award_revoke(award=award, reason="Issued in error (demo history)")
            award.state, award.revocation_reason = Award.State.REVOKED, "Issued in error (demo history)"
            award.state_changed_at = min(now, award.issued_at + timedelta(days=rng.randrange(1, 60)))
            revoked.append(award)
    Award.objects.bulk_update(revoked, ["state_changed_at"], batch_size=500)
    return len(revoked)


def _shares(awards, rng, now) -> int:
    channels, weights = zip(*CHANNELS, strict=True)
    events = []
    for award in awards:
        if award.state not in (Award.State.ACCEPTED, Award.State.EXPIRED) or rng.random() > 0.45:
            continue
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            at = (award.state_changed_at or award.issued_at) + timedelta(days=rng.expovariate(1 / 10))
            if at <= now:
                events.append(ShareEvent(award=award, channel=rng.choices(channels, weights)[0], at=at))
    field = ShareEvent._meta.get_field("at")
    field.auto_now_add = False  # keep the dates of the past
    try:
        ShareEvent.objects.bulk_create(events, batch_size=500)
    finally:
        field.auto_now_add = True
    return len(events)


def _counts(awards, rng, now) -> int:
    today = timezone.localdate(now)
    rows: dict[tuple, int] = {}

    def add(award, day, kind, number=1):
        if day <= today:
            rows[(award.pk, day, kind)] = rows.get((award.pk, day, kind), 0) + number

    shared = set(ShareEvent.objects.filter(award__in=awards).values_list("award_id", flat=True))
    for award in awards:
        issued = award.issued_at.date()
        if rng.random() < 0.72:
            add(award, issued + timedelta(days=rng.choice([0, 0, 0, 1, 2])), Kind.EMAIL_OPEN, rng.choice([1, 1, 2]))
        if award.state in (Award.State.ACCEPTED, Award.State.DECLINED, Award.State.EXPIRED) or rng.random() < 0.1:
            add(award, (award.state_changed_at or award.issued_at).date(), Kind.LINK_CLICK)
        views = rng.randrange(3, 25) if award.pk in shared else (rng.randrange(0, 3) if rng.random() < 0.3 else 0)
        for _ in range(views):
            add(award, issued + timedelta(days=int(rng.expovariate(1 / 40))), Kind.VIEW, rng.choice([1, 1, 1, 2]))
    AwardDayCount.objects.bulk_create(
        [AwardDayCount(award_id=a, day=d, kind=k, count=c) for (a, d, k), c in rows.items()], batch_size=1000
    )
    return len(rows)


def _surveys(achievements, awards, rng, now) -> int:
    """Follow-up surveys (90 days) on a third of the achievements, answered by about 35% of those invited."""
    chosen = achievements[::3]
    surveys = {a.pk: Survey.objects.get_or_create(achievement=a, defaults={"delay_days": 90})[0] for a in chosen}
    invitations = []
    for award in awards:
        survey = surveys.get(award.achievement_id)
        sent = award.issued_at + timedelta(days=90)
        if survey is None or sent > now or award.state in (Award.State.REVOKED, Award.State.DECLINED):
            continue
        invitation = Invitation(survey=survey, award=award, language=award.recipient_language, sent_at=sent)
        if rng.random() < 0.35:
            invitation.answered_at = sent + timedelta(days=rng.randrange(0, 10))
            invitation.applied = rng.choices(["yes", "partly", "no"], [55, 30, 15])[0]
            invitation.frequency = rng.choices(["daily", "weekly", "monthly", "rarely", "never"], [15, 35, 25, 18, 7])[
                0
            ]
            invitation.impact = rng.choices([1, 2, 3, 4, 5], [5, 15, 35, 30, 15])[0]
        invitations.append(invitation)
    Invitation.objects.bulk_create(invitations, batch_size=500)
    return sum(1 for i in invitations if i.answered_at)
