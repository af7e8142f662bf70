"""Rollups: the incremental refresh ends where a full rebuild ends, whatever changed in between."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from analytics import buffer, rollups
from analytics.models import DailyRollup, Kind, ShareChannelRollup
from analytics.tasks import analytics_catch_up
from credentials.models import Award
from credentials.services import award_decline, award_revoke
from wallets.models import ShareEvent

FIELDS = ("day", "achievement_id", "programme_id", "issued", "accepted", "declined", "revoked", "expired", "pending",
          "opened_awards", "clicked_awards", "shared_awards", "seen_awards", "shares", "views", "email_opens",
          "link_clicks", "expiring")  # fmt: skip


def snapshot():
    return (
        sorted(DailyRollup.objects.values_list(*FIELDS)),
        sorted(ShareChannelRollup.objects.values_list("day", "achievement_id", "channel", "shares")),
    )


def test_incremental_refresh_equals_a_rebuild(history):
    assert analytics_catch_up.delay().get()["rollups"] > 0  # the beat task, run in-process here
    awards = list(Award.objects.filter(state="issued").order_by("pk"))
    award_revoke(award=awards[0], reason="Wrong person")
    award_decline(award=awards[1])
    ShareEvent.objects.create(award=awards[2], channel="qr")
    buffer.record(Kind.VIEW, awards[3].pk)
    buffer.record(Kind.LINK_CLICK, f"p:{awards[3].public_id}")
    buffer.flush()
    later = timezone.now() + timedelta(days=400)  # expiry dates pass: cohorts move to "expired"
    rollups.refresh_recent(now=later)
    incremental = snapshot()
    rollups.rebuild(now=later)
    assert snapshot() == incremental
    assert sum(DailyRollup.objects.values_list("link_clicks", flat=True)) == 1


def test_rebuild_command(history):
    out = StringIO()
    call_command("analytics_rebuild", stdout=out)
    assert "daily rollups written" in out.getvalue()
    assert sum(DailyRollup.objects.values_list("issued", flat=True)) == Award.objects.count()
    assert sum(DailyRollup.objects.values_list("views", flat=True)) > 0  # buffered views were flushed first
