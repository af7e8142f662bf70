"""Counting without a query: events go to the cache, a flush moves them into `AwardDayCount`.

Each event is one cache entry `analytics:<epoch>:e:<n>` holding "kind|award|day|viewer", numbered by an atomic
counter (`incr`: atomic on Redis, in local memory and in the embedded default's folder, config/filecache.py). The
flush (`flush()`, run by the beat task every few minutes and, where no beat runs, by the analytics pages) reads the
entries after the last one it flushed, adds them to the table and deletes them. Its position is kept in the database
(`Cursor`, row locked), so two flushes never count an entry twice. The epoch is drawn when the counter is created:
if the cache is emptied (Redis restarted), numbering starts again under a new epoch and the flush starts again from
0.

The viewer's account id (never an address, an IP or a user agent) rides along only until the flush, which drops
the views of a holder looking at their own credential. Nothing personal reaches the database.
"""

import atexit
import logging
import re
import secrets
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import default_key_func
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.utils import timezone

from .models import AwardDayCount, Cursor, Kind

logger = logging.getLogger(__name__)

PREFIX = "analytics"
EVENT_TIMEOUT = 14 * 24 * 3600  # an event not flushed in two weeks is dropped
READ_CHUNK = 1000
# Crawlers, link previews, monitors and scripts: their views are nobody's interest in a credential.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|preview|facebookexternalhit|embedly|whatsapp|skype|slack|discord|telegram|"
    r"curl|wget|python|java/|go-http|okhttp|axios|node-fetch|libwww|httpclient|headless|lighthouse|pingdom|"
    r"uptime|monitor|scanner|validator|checker|phantomjs|puppeteer|playwright|selenium",
    re.IGNORECASE,
)


def _cache():
    return caches["analytics" if "analytics" in settings.CACHES else "default"]


def is_bot(user_agent: str) -> bool:
    """No user agent, or one that says it is a program."""
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


# The epoch this process last read, per cache: a counted view then costs two cache round trips (incr, set)
# instead of three. It is read again whenever the counter is missing (cache emptied or first event) and at
# least every EPOCH_MEMO_SECONDS (a cache that evicted the epoch key alone loses at most that much counting).
EPOCH_MEMO_SECONDS = 60
_known_epochs: dict[int, tuple[str, float]] = {}


def _epoch(cache) -> str:
    epoch = cache.get(f"{PREFIX}:epoch")
    if epoch is None:
        cache.add(f"{PREFIX}:epoch", secrets.token_hex(8), timeout=None)
        epoch = cache.get(f"{PREFIX}:epoch")
    return epoch


def _numbered(cache) -> tuple[str, int]:
    """(epoch, the next event number). Trusts the epoch remembered by this process while its counter exists;
    a missing counter (Redis restarted, cache cleared, first event) sends it back to the cache for the epoch."""
    epoch, read_at = _known_epochs.get(id(cache), (None, 0.0))
    if epoch is not None and time.monotonic() - read_at < EPOCH_MEMO_SECONDS:
        try:
            return epoch, cache.incr(f"{PREFIX}:{epoch}:seq")
        except ValueError:
            _known_epochs.pop(id(cache), None)
    epoch = _epoch(cache)
    key = f"{PREFIX}:{epoch}:seq"
    try:
        number = cache.incr(key)
    except ValueError:  # first event of this epoch
        cache.add(key, 0, timeout=None)
        number = cache.incr(key)
    _known_epochs[id(cache)] = (epoch, time.monotonic())
    return epoch, number


# On Redis, numbering and writing events is one round trip (a script) instead of three per event (Django's incr
# is an EXISTS and an INCR, then a SET): the counter must exist (else 0: the usual path creates it); the events
# are numbered together (INCRBY) and stored as Django's RedisCache stores a value (its serializer), under the keys
# Django would make for them.
_RECORD_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local count = #ARGV - 2
local last = redis.call('INCRBY', KEYS[1], count)
for i = 1, count do redis.call('SET', ARGV[1] .. (last - count + i), ARGV[i + 2], 'EX', ARGV[2]) end
return last
"""
_script = None  # registered once per process (its SHA), called with the cache's client
BATCH_MAX = 200


def _one_trip_possible(cache) -> bool:
    if not isinstance(cache, RedisCache) or cache.key_func is not default_key_func:
        return False
    epoch, read_at = _known_epochs.get(id(cache), (None, 0.0))
    return epoch is not None and time.monotonic() - read_at < EPOCH_MEMO_SECONDS


def _record_in_one_trip(cache, values: list[str]) -> bool:
    """Number and store the events with one Redis round trip; False when that is not possible here (another
    backend, a custom key function, no epoch remembered, no counter yet): the caller takes the usual path."""
    global _script
    if not _one_trip_possible(cache):
        return False
    epoch = _known_epochs[id(cache)][0]
    client = cache._cache.get_client(write=True)
    if _script is None:
        _script = client.register_script(_RECORD_SCRIPT)
    last = _script(
        keys=[cache.make_and_validate_key(f"{PREFIX}:{epoch}:seq")],
        args=[cache.make_key(f"{PREFIX}:{epoch}:e:"), EVENT_TIMEOUT, *map(cache._cache._serializer.dumps, values)],
        client=client,
    )
    if not last:
        _known_epochs.pop(id(cache), None)
        return False
    return True


def _record_each(cache, values: list[str]) -> None:
    for value in values:
        epoch, number = _numbered(cache)
        cache.set(f"{PREFIX}:{epoch}:e:{number}", value, timeout=EVENT_TIMEOUT)


# Batching (ANALYTICS_BATCH_SECONDS > 0, Redis only): a web process keeps the events of its requests for at most
# that long (or BATCH_MAX events) and sends them in one round trip, from a timer thread: a page from the page cache
# then waits for no counting at all. A process killed outright loses at most that much counting; a graceful exit
# sends what it holds (atexit), and flush() in the same process sends it first.
_batch: list[str] = []
_batch_lock = threading.Lock()
_batch_timer: threading.Timer | None = None
_batch_cache = None  # the cache object of the thread that held them (a RedisCache is safe to share between threads)


def _batch_seconds() -> float:
    return float(getattr(settings, "ANALYTICS_BATCH_SECONDS", 0) or 0)


def _hold(cache, value: str) -> None:
    global _batch_timer, _batch_cache
    with _batch_lock:
        _batch_cache = cache
        _batch.append(value)
        full = len(_batch) >= BATCH_MAX
        if not full and _batch_timer is None:
            _batch_timer = threading.Timer(_batch_seconds(), send_held)
            _batch_timer.daemon = True
            _batch_timer.start()
    if full:
        send_held()


def send_held() -> int:
    """Send the events this process holds (one round trip on Redis). Returns how many were sent."""
    global _batch_timer
    with _batch_lock:
        values, cache = _batch[:], _batch_cache
        _batch.clear()
        if _batch_timer is not None:
            _batch_timer.cancel()
            _batch_timer = None
    if not values:
        return 0
    try:
        if not _record_in_one_trip(cache, values):
            _record_each(cache, values)
        return len(values)
    except Exception:  # noqa: BLE001 (the cache is down: these views are lost, the site goes on)
        logger.warning("analytics: could not buffer %d held events", len(values), exc_info=True)
        return 0


atexit.register(send_held)


def record(kind: str, award_ref: int | str, *, viewer_id: int | None = None, day=None) -> bool:
    """Buffer one event. `award_ref`: the award's pk, or "p:<public id>" when only that is at hand (the claim
    link). Never raises: a cache that is down loses the count, not the page."""
    try:
        cache = _cache()
        day = day or timezone.localdate()
        value = f"{kind}|{award_ref}|{day.isoformat()}|{viewer_id or ''}"
        if _batch_seconds() > 0 and _one_trip_possible(cache):
            _hold(cache, value)
            return True
        if not _record_in_one_trip(cache, [value]):
            _record_each(cache, [value])
        return True
    except Exception:  # noqa: BLE001 (a broken cache must never break a public page)
        logger.warning("analytics: could not buffer a %s event", kind, exc_info=True)
        return False


def record_request(kind: str, award_ref: int | str, request) -> bool:
    """record() for a request: nothing for bots; the signed-in viewer's id travels to the flush."""
    if is_bot(request.headers.get("User-Agent", "")):
        return False
    user = getattr(request, "user", None)
    viewer_id = user.pk if user is not None and user.is_authenticated else None
    return record(kind, award_ref, viewer_id=viewer_id)


def pending() -> int:
    """How many events wait in the buffer (roughly: those numbered after the flushed position)."""
    cache = _cache()
    epoch = cache.get(f"{PREFIX}:epoch")
    if epoch is None:
        return 0
    cursor = Cursor.objects.filter(name="buffer", epoch=epoch).first()
    return max(0, (cache.get(f"{PREFIX}:{epoch}:seq") or 0) - (cursor.position if cursor else 0))


def flush(*, batch: int = 10_000) -> int:
    """Move buffered events into AwardDayCount, a batch (one transaction) at a time. Returns how many events
    were counted."""
    send_held()
    total = 0
    while True:
        counted, advanced = _flush_batch(limit=batch)
        total += counted
        if not advanced:
            return total


def _flush_batch(*, limit: int) -> tuple[int, bool]:
    cache = _cache()
    epoch = cache.get(f"{PREFIX}:epoch")
    if epoch is None:
        return 0, False
    with transaction.atomic():
        cursor, _created = Cursor.objects.select_for_update().get_or_create(name="buffer")
        if cursor.epoch != epoch:
            cursor.epoch, cursor.position = epoch, 0
        top = min(cache.get(f"{PREFIX}:{epoch}:seq") or 0, cursor.position + limit)
        keys = [f"{PREFIX}:{epoch}:e:{n}" for n in range(cursor.position + 1, top + 1)]
        values: dict[str, str] = {}
        for start in range(0, len(keys), READ_CHUNK):
            values.update(cache.get_many(keys[start : start + READ_CHUNK]))
        # An entry missing at the end may be one a request numbered but has not written yet: leave it for later.
        last_present = max((cursor.position + 1 + i for i, key in enumerate(keys) if key in values), default=None)
        advanced = last_present is not None
        if advanced:
            cursor.position = last_present
        counted = _count(values.values())
        cursor.at = timezone.now()
        cursor.save()
        done = [key for key in keys if key in values]
        transaction.on_commit(lambda: _delete(cache, done))
    return counted, advanced


def _delete(cache, keys: list[str]) -> None:
    for start in range(0, len(keys), READ_CHUNK):
        cache.delete_many(keys[start : start + READ_CHUNK])


def _parse(values) -> list[tuple[str, str, str, int | None]]:
    events = []
    for value in values:
        try:
            kind, ref, day, viewer = str(value).split("|")
            events.append((kind, ref, day, int(viewer) if viewer else None))
        except ValueError:
            logger.warning("analytics: dropped an unreadable buffered event %r", value)
    return events


def _count(values) -> int:
    from allauth.account.models import EmailAddress

    from credentials.models import Award
    from credentials.openbadges.ob3 import normalize_email

    events = [event for event in _parse(values) if event[0] in Kind.values]
    if not events:
        return 0
    pks = {int(ref) for _k, ref, _d, _v in events if ref.isdigit()}
    public_ids = {ref[2:] for _k, ref, _d, _v in events if ref.startswith("p:")}
    awards = Award.objects.filter(pk__in=pks) | Award.objects.filter(public_id__in=public_ids)
    by_pk, by_public_id = {}, {}
    for pk, public_id, email in awards.values_list("pk", "public_id", "recipient_email"):
        by_pk[pk] = by_public_id[public_id] = (pk, normalize_email(email))
    viewers = {viewer for *_rest, viewer in events if viewer}
    emails_of: dict[int, set[str]] = {}
    for user_id, email in EmailAddress.objects.filter(user_id__in=viewers, verified=True).values_list(
        "user_id", "email"
    ):
        emails_of.setdefault(user_id, set()).add(normalize_email(email))
    counts: Counter = Counter()
    for kind, ref, day, viewer in events:
        award = by_public_id.get(ref[2:]) if ref.startswith("p:") else by_pk.get(int(ref)) if ref.isdigit() else None
        if award is None:
            continue
        if kind == Kind.VIEW and viewer and award[1] in emails_of.get(viewer, ()):
            continue  # the holder looking at their own credential
        counts[(award[0], day, kind)] += 1
    _add(counts)
    return sum(counts.values())


def _add(counts: Counter) -> None:
    if not counts:
        return
    award_ids = {award for award, _day, _kind in counts}
    days = {day for _award, day, _kind in counts}
    existing = {
        (row.award_id, row.day.isoformat(), row.kind): row
        for row in AwardDayCount.objects.filter(award_id__in=award_ids, day__in=days)
    }
    changed, new = [], []
    for (award, day, kind), number in counts.items():
        row = existing.get((award, day, kind))
        if row is None:
            new.append(AwardDayCount(award_id=award, day=day, kind=kind, count=number))
        else:
            row.count += number
            changed.append(row)
    AwardDayCount.objects.bulk_create(new, batch_size=1000)
    AwardDayCount.objects.bulk_update(changed, ["count"], batch_size=1000)
