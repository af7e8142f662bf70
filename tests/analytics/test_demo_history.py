"""demo_history: realistic history by bulk inserts, once; the rollups agree with the awards it made."""

import json
from io import StringIO

from django.core.management import call_command

from analytics.models import DailyRollup
from credentials.models import Award
from programmes.models import Programme
from surveys.models import Invitation
from wallets.models import ShareEvent


def test_history_once_with_every_state_and_consistent_rollups(issuer, competency):
    from tests.credentials.conftest import make_achievement

    make_achievement(issuer, competency, slug="one", validity_days=365)
    make_achievement(issuer, competency, slug="two", validity_days=None)
    make_achievement(issuer, competency, slug="three")
    call_command("demo_history", "--awards", "300", stdout=StringIO())
    assert Programme.objects.count() == 9  # the brief's nine programmes, none existed
    states = set(Award.objects.values_list("state", flat=True))
    assert states == {"issued", "accepted", "declined", "revoked", "expired"}
    assert ShareEvent.objects.exists() and Invitation.objects.filter(answered_at__isnull=False).exists()
    assert DailyRollup.objects.exists()
    out = StringIO()
    call_command("demo_history", stdout=out)
    assert "already there" in out.getvalue()
    out = StringIO()
    call_command("analytics_report", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    awards = list(Award.objects.all())
    assert figures["issued"] == len(awards) >= 290  # about --awards (rounded per achievement)
    for state in ("accepted", "declined", "revoked", "expired"):
        assert figures[state] == sum(1 for a in awards if a.effective_state == state), state
    assert figures["shared"] == ShareEvent.objects.values("award").distinct().count()
