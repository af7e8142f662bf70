"""A million awards for the scale benchmark (`manage.py seed_scale --awards N`, issue 13.2). PostgreSQL only.

Every award is really signed (eddsa-rdfc-2022, `credentials.services.status_lists._sign`, the function issuing
uses) by a pool of forked worker processes, each building its awards with `credentials.services.issuing.
_award_build` (the same checks, salt and identity hash as `award_issue`); the main process draws what each award
is (programme, achievement, recipient, dates, answer, revocation, status index) and streams the signed rows into
PostgreSQL with COPY, a transaction per chunk. Alongside: share events, verification-page views, claim-email
opens and claim-link clicks (daily counts), revocation bits in the status lists; then the status lists are signed
and the analytics rollups rebuilt.

Recipients are a fixed pool (300,000 by default, `learner<k>@scale.example.org`-like addresses with invented
names), so a second run is **additive by design**: N more awards to the same people, at fresh status indexes
(new status lists), and the wallet learner's 300 awards are made only once. History is data, not work to
redo: no audit entries, no claim emails, no artefacts (a bulk job issues those; benchmarks/bulk_issue.py).
"""

import multiprocessing
import random
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, connections, transaction
from django.utils import timezone

from analytics import rollups
from analytics.models import AwardDayCount, DailyRollup, Kind, ShareChannelRollup
from credentials.models import Achievement, Award, StatusList
from credentials.openbadges.status_list import MIN_BITS
from credentials.openbadges.status_list import StatusList as Bits
from credentials.services import Recipient, issuer_active_key
from credentials.services.issuing import _award_build
from credentials.services.status_lists import _sign, status_list_signed
from wallets.models import ShareEvent

from .copying import columns, copy_in, copy_lines

DOMAIN = "scale.example.org"
WALLET_EMAIL = f"wallet300@{DOMAIN}"
WALLET_AWARDS = 300
CHUNK = 500
FILL = MIN_BITS // 2  # a seeded status list holds this many awards (issuing closes a list about half full)
FIRST = ["Amina", "Luis", "Mei", "Kwame", "Sofia", "Ravi", "Fatou", "Jonas", "Aiko", "Carlos", "Leila", "Pierre",
         "Nadia", "Tomás", "Grace", "Omar", "Ingrid", "Chen", "Zanele", "Marco", "Ana", "Björn", "Chiara", "Dmitri",
         "Elena", "Farah", "Gustavo", "Hana", "Ibrahim", "Julia", "Kofi", "Lucía", "Mateo", "Nour", "Olga", "Priya",
         "Quentin", "Rosa", "Samir", "Tanvir", "Uma", "Víctor", "Wanjiru", "Xavier", "Yara", "Zhang", "Adriana",
         "Bilal", "Camille", "Diego", "Esther", "Felipe", "Gabriela", "Hugo", "Isabel", "José", "Karin", "Lars",
         "Maryam", "Nikolai"]  # fmt: skip
LAST = ["Okonkwo", "García", "Wang", "Mensah", "Rossi", "Patel", "Diop", "Berg", "Sato", "Silva", "Haddad",
        "Dubois", "Khan", "López", "Njoroge", "Farouk", "Larsen", "Li", "Dlamini", "Bianchi", "Adeyemi", "Bakker",
        "Castro", "Dimitrov", "Eriksson", "Fernández", "Gomes", "Horvat", "Ivanova", "Jensen", "Kowalski", "Lindqvist",
        "Moreau", "Nakamura", "Owusu", "Petrović", "Quispe", "Ramírez", "Schmidt", "Tanaka", "Usman", "Vargas",
        "Weber", "Xu", "Yilmaz", "Zulu", "Abebe", "Bose", "Costa", "Das", "Evans", "Fischer", "Gupta", "Hoang",
        "Ito", "Juarez", "Kim", "Lambert", "Mwangi", "Nguyen", "Ortiz", "Pereira", "Rahman", "Santos", "Tran",
        "Ueda", "Vos", "Wood", "Yamamoto", "Zhou", "Achieng", "Boateng", "Chowdhury", "Desai", "Espinoza",
        "Fofana", "Guerrero", "Hassan", "Iqbal", "Jovanović"]  # fmt: skip
CHANNELS = [("linkedin_profile", 30), ("linkedin", 22), ("email", 10), ("signature", 8), ("link", 12),
            ("embed", 4), ("qr", 4), ("x", 4), ("facebook", 3), ("whatsapp", 3)]  # fmt: skip
REASON = "Issued in error (scale seed)"


class SeedRefused(Exception):
    """The database cannot be seeded (not PostgreSQL, nothing to issue)."""


def _ascii(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def recipient(k: int) -> tuple[str, str]:
    """(email, name) of the k-th recipient of the pool: the same person in every run."""
    rng = random.Random(k * 7919 + 13)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{_ascii(first)}.{_ascii(last)}.{k}@{DOMAIN}", f"{first} {last}"


# --- the worker: sign a chunk ------------------------------------------------------------------------------------

_ACHIEVEMENTS: dict[int, Achievement] = {}  # filled before the pool forks; workers read their copy


@dataclass(frozen=True)
class Spec:
    """One award to make: drawn by the main process, signed by a worker."""

    pk: int
    achievement: int
    email: str
    name: str
    kind: str
    language: str
    issued_at: datetime
    expires_at: datetime | None
    state: str
    state_changed_at: datetime | None
    status_list: int
    status_index: int
    shared: bool


def sign_chunk(specs: list[Spec], seed: int) -> tuple[str, str, str]:
    """COPY text of the chunk's awards (signed), share events and day counts."""
    rng = random.Random(seed)
    now = timezone.now()
    awards, shares, counts = [], [], {}
    for spec in specs:
        achievement = _ACHIEVEMENTS[spec.achievement]
        award = _award_build(
            achievement=achievement,
            key=achievement._scale_key,
            recipient=Recipient(email=spec.email, name=spec.name, kind=spec.kind, language=spec.language,
                                issued_at=spec.issued_at, expires_at=spec.expires_at),
        )  # fmt: skip
        award.pk = spec.pk
        award.status_list_id, award.status_index = spec.status_list, spec.status_index
        award.credential = _sign(award)
        award.state, award.state_changed_at = spec.state, spec.state_changed_at
        if spec.state == Award.State.REVOKED:
            award.revocation_reason = REASON
        awards.append(award)
        _activity(spec, rng, now, shares, counts)
    day_counts = [AwardDayCount(award_id=a, day=d, kind=k, count=c) for (a, d, k), c in counts.items()]
    return (
        copy_lines(columns(Award, with_pk=True), awards),
        copy_lines(columns(ShareEvent, with_pk=False), shares),
        copy_lines(columns(AwardDayCount, with_pk=False), day_counts),
    )


def _activity(spec: Spec, rng, now, shares: list, counts: dict) -> None:
    """Shares, views, claim-email opens and claim-link clicks of one award (as demo_history draws them)."""
    today = timezone.localdate(now)

    def add(day, kind, number=1):
        if day <= today:
            counts[(spec.pk, day, kind)] = counts.get((spec.pk, day, kind), 0) + number

    answered = spec.state_changed_at or spec.issued_at
    if spec.shared:
        channels, weights = zip(*CHANNELS, strict=True)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            at = answered + timedelta(days=rng.expovariate(1 / 10))
            if at <= now:
                shares.append(ShareEvent(award_id=spec.pk, channel=rng.choices(channels, weights)[0], at=at))
    issued = spec.issued_at.date()
    if rng.random() < 0.72:
        add(issued + timedelta(days=rng.choice([0, 0, 0, 1, 2])), Kind.EMAIL_OPEN, rng.choice([1, 1, 2]))
    if spec.state != Award.State.ISSUED or rng.random() < 0.1:
        add(answered.date(), Kind.LINK_CLICK)
    views = rng.randrange(1, 6) if spec.shared else (1 if rng.random() < 0.2 else 0)
    for _ in range(views):
        add(issued + timedelta(days=int(rng.expovariate(1 / 40))), Kind.VIEW, rng.choice([1, 1, 1, 2]))


# --- the main process: draw, hand out, write ---------------------------------------------------------------------


class _Indexes:
    """Random free status indexes of one key: fresh lists, each filled to FILL, closed for issuing."""

    def __init__(self, key, rng):
        self.key, self.rng, self.free, self.status_list = key, rng, [], None
        self.bits: dict[int, Bits] = {}

    def next(self) -> tuple[int, int]:
        if not self.free:
            self.status_list = StatusList.objects.create(key=self.key, size=MIN_BITS, bits=bytes(MIN_BITS // 8),
                                                         used=MIN_BITS)  # fmt: skip
            self.bits[self.status_list.pk] = Bits(data=bytes(MIN_BITS // 8))
            self.free = self.rng.sample(range(MIN_BITS), FILL)
        return self.status_list.pk, self.free.pop()


def _ensure_achievements(per_programme: int = 5) -> int:
    """Every active programme gets at least `per_programme` published achievements (copies of the demo's, in
    turn, saved through `achievement_save`), so the awards spread over all nine."""
    from credentials.services import achievement_save
    from programmes.models import Programme

    templates = list(Achievement.objects.filter(is_active=True, status=Achievement.Status.PUBLISHED).order_by("pk"))
    made = 0
    for programme in Programme.objects.filter(is_active=True).order_by("pk"):
        have = Achievement.objects.filter(programme=programme, is_active=True, status=Achievement.Status.PUBLISHED)
        for n in range(have.count(), per_programme if templates else 0):
            copy = Achievement.objects.get(pk=templates[(programme.pk + n) % len(templates)].pk)
            copy.pk = copy.id = None
            copy._state.adding = True
            copy.slug = f"scale-{programme.slug}-{n}"[:80]
            copy.name = f"{copy.name} ({programme.name})"[:200]
            copy.programme = programme
            if not Achievement.objects.filter(slug=copy.slug).exists():
                achievement_save(achievement=copy)
                made += 1
    return made


def _achievements_by_programme() -> dict:
    found = (
        Achievement.objects.filter(is_active=True, status=Achievement.Status.PUBLISHED, programme__isnull=False)
        .select_related("issuer", "tier", "category", "programme")
        .order_by("pk")
    )
    by_programme: dict = {}
    for achievement in found:
        by_programme.setdefault(achievement.programme, []).append(achievement)
    return by_programme


def _warm(achievement: Achievement, status_list_id: int) -> None:
    """Sign one throw-away credential, so everything the worker's signing reads is cached on the achievement
    (issuer, tier or category) before the fork: the workers make no query."""
    award = _award_build(achievement=achievement, key=achievement._scale_key,
                         recipient=Recipient(email=f"warm@{DOMAIN}", name="Warm", kind=_kind(achievement)))  # fmt: skip
    award.status_list_id, award.status_index = status_list_id, 0
    _sign(award)


def _kind(achievement: Achievement) -> str:
    if achievement.tier_id is not None or "person" in (achievement.category.recipient_kinds or []):
        return Award.RecipientKind.PERSON
    return Award.RecipientKind.ORGANISATION


def _wallet_learner() -> bool:
    """The learner whose wallet holds 300 seeded awards; True when their awards are still to make."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email=WALLET_EMAIL).first()
    if user is None:
        user = get_user_model().objects.create_user("wallet300", WALLET_EMAIL, "laurel-scale-wallet")
        EmailAddress.objects.create(user=user, email=WALLET_EMAIL, verified=True, primary=True)
    return not Award.objects.filter(recipient_email=WALLET_EMAIL).exists()


def seed(*, awards: int, recipients: int = 300_000, workers: int = 2, seed_value: int = 13, days: int = 730,
         log=print) -> dict:  # fmt: skip
    """Add `awards` signed awards (see the module's docstring). Returns what was made."""
    if connection.vendor != "postgresql":
        raise SeedRefused("seed_scale writes with PostgreSQL's COPY: DATABASE_URL must point at PostgreSQL.")
    _ensure_achievements()
    by_programme = _achievements_by_programme()
    if not by_programme:
        raise SeedRefused("No published achievement in a programme: run `manage.py load_demo` first.")
    started = time.monotonic()
    now = timezone.now()
    rng = random.Random(seed_value * 1_000_003 + Award.objects.count())  # another run draws other awards
    recipients = max(1, min(recipients, awards))
    programmes = list(by_programme)
    programme_weights = [rng.uniform(0.5, 2) for _ in programmes]
    keys, indexes = {}, {}
    for achievement in [a for group in by_programme.values() for a in group]:
        issuer = achievement.issuer_id
        if issuer not in keys:
            keys[issuer] = issuer_active_key(achievement.issuer)
            indexes[issuer] = _Indexes(keys[issuer], rng)
        achievement._scale_key = keys[issuer]
        _ACHIEVEMENTS[achievement.pk] = achievement
    warm_list = StatusList.objects.filter(key=next(iter(keys.values()))).order_by("pk").values_list("pk", flat=True)
    for achievement in _ACHIEVEMENTS.values():
        _warm(achievement, warm_list.first() or 1)
    wallet = _wallet_learner()
    wallet_left = min(WALLET_AWARDS, awards // 10) if wallet else 0
    person_achievements = [a for a in _ACHIEVEMENTS.values() if _kind(a) == Award.RecipientKind.PERSON]

    def specs():
        nonlocal wallet_left
        chunk, drawn = [], 0  # drawn: awards to the pool so far (the first `recipients` go to each in turn)
        with connection.cursor() as cursor:
            for start in range(0, awards, CHUNK):
                size = min(CHUNK, awards - start)
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [Award._meta.db_table, size])  # fmt: skip
                for (pk,) in cursor.fetchall():
                    if wallet_left:
                        wallet_left -= 1
                        achievement = person_achievements[wallet_left % len(person_achievements)]
                        email, name = WALLET_EMAIL, "Wallet Learner"
                    else:
                        programme = rng.choices(programmes, programme_weights)[0]
                        achievement = rng.choice(by_programme[programme])
                        k = drawn if drawn < recipients else int(recipients * rng.random() ** 1.3)
                        drawn += 1
                        email, name = recipient(k)
                    chunk.append(_spec(pk, achievement, email, name, indexes[achievement.issuer_id], rng, now, days))
                yield chunk
                chunk = []

    made = {"awards": 0, "shares": 0, "day_counts": 0}
    by_state: dict[str, int] = {}
    pending: deque = deque()
    connections.close_all()  # the workers are forked: none may share the parent's connection
    pool = multiprocessing.get_context("fork").Pool(max(1, workers), initializer=_ignore_interrupts)
    interrupted = False
    try:
        for number, chunk in enumerate(specs()):
            pending.append((pool.apply_async(sign_chunk, (chunk, seed_value * 7 + number)), chunk))
            if len(pending) >= 2 * max(1, workers):
                _write(*pending.popleft(), indexes, made, by_state, log, started, awards)
    except KeyboardInterrupt:  # Ctrl-C: what is being signed is written, then the run finishes as a smaller one
        interrupted = True
        log("Interrupted: writing what is signed, then finishing.")
    try:
        while pending:
            _write(*pending.popleft(), indexes, made, by_state, log, started, awards)
    finally:
        pool.terminate()
        pool.join()
    signed_at = time.monotonic()
    made.update(finish(now=now))
    made.update(
        states=by_state,
        recipients=recipients,
        programmes=len(programmes),
        interrupted=interrupted,
        seconds_signing_and_copy=round(signed_at - started, 1),
        seconds=round(time.monotonic() - started, 1),
    )
    return made


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what an interrupt stops


def finish(*, now=None) -> dict:
    """What follows the awards (also `seed_scale --finish`, after a run that was killed): status lists signed
    for verifiers, analytics rollups rebuilt, tables vacuumed (statistics, and index-only counts)."""
    signed = 0
    for status_list in StatusList.objects.filter(signed_credential__isnull=True).select_related("key"):
        status_list_signed(status_list)
        signed += 1
    written = rollups.rebuild(now=now or timezone.now())
    with connection.cursor() as cursor:
        for model in (Award, ShareEvent, AwardDayCount, StatusList, DailyRollup, ShareChannelRollup):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    return {"status_lists_signed": signed, "rollups": written}


def _spec(pk, achievement, email, name, indexes, rng, now, days) -> Spec:
    age = days * (1 - rng.random() ** 0.5)  # growth: more awards recently
    issued_at = now - timedelta(days=age, minutes=rng.randrange(1440))
    expires_at = None
    if achievement.validity_days:
        expires_at = issued_at + timedelta(days=achievement.validity_days)
    elif rng.random() < 0.15:
        expires_at = issued_at + timedelta(days=365)
    state, changed = Award.State.ISSUED, None
    draw = rng.random()
    answered_at = issued_at + timedelta(days=rng.expovariate(1 / 4), hours=rng.randrange(24))
    if answered_at <= now and draw < 0.69:
        state = Award.State.ACCEPTED if draw < 0.64 else Award.State.DECLINED
        changed = answered_at
    if expires_at and expires_at <= now:
        state, changed = Award.State.EXPIRED, expires_at
    if rng.random() < 0.02:
        state, changed = Award.State.REVOKED, min(now, issued_at + timedelta(days=rng.randrange(1, 60)))
    status_list, status_index = indexes.next()
    kind = _kind(achievement)
    if kind == Award.RecipientKind.ORGANISATION:
        name = f"{name.split()[-1]} Workers' Cooperative"
    shared = state in (Award.State.ACCEPTED, Award.State.EXPIRED) and rng.random() < 0.45
    return Spec(pk=pk, achievement=achievement.pk, email=email, name=name, kind=kind,
                language=rng.choice(["en", "en", "fr", "es"]), issued_at=issued_at, expires_at=expires_at,
                state=state, state_changed_at=changed, status_list=status_list, status_index=status_index,
                shared=shared)  # fmt: skip


def _write(result, chunk: list[Spec], indexes: dict, made: dict, by_state: dict, log, started, total) -> None:
    award_text, share_text, count_text = result.get()
    touched = {}
    for spec in (s for s in chunk if s.state == Award.State.REVOKED):
        for issuer_indexes in indexes.values():
            if spec.status_list in issuer_indexes.bits:
                issuer_indexes.bits[spec.status_list].set(spec.status_index, True)
                touched[spec.status_list] = issuer_indexes.bits[spec.status_list]
    with transaction.atomic():
        copy_in(Award, columns(Award, with_pk=True), award_text)
        copy_in(ShareEvent, columns(ShareEvent, with_pk=False), share_text)
        copy_in(AwardDayCount, columns(AwardDayCount, with_pk=False), count_text)
        for pk, bits in touched.items():
            StatusList.objects.filter(pk=pk).update(bits=bits.to_bytes(), signed_credential=None)
    for spec in chunk:
        by_state[str(spec.state)] = by_state.get(str(spec.state), 0) + 1
    before = made["awards"]
    made["awards"] += award_text.count("\n")
    made["shares"] += share_text.count("\n")
    made["day_counts"] += count_text.count("\n")
    if made["awards"] // 20_000 != before // 20_000 or made["awards"] == total:
        elapsed = time.monotonic() - started
        log(f"{made['awards']:,} awards in {elapsed:.0f} s ({made['awards'] / elapsed:.0f}/s)")
