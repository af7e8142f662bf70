"""Automatic stacking (issue 14.2): once per identity, evidence, audit, email, suggestions, backfill."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from credentials.links import absolute
from credentials.models import Award
from credentials.services import award_decline, award_revoke
from outbox.models import OutboxEmail
from stacking.models import StackingOutcome
from stacking.services import (
    active_rules,
    stacking_evaluate,
    stacking_suggestion_approve,
    stacking_suggestion_dismiss,
)

from .conftest import EMAIL, give, make_rule

pytestmark = pytest.mark.django_db


def results(result):
    return list(Award.objects.filter(achievement=result))


def test_the_last_credential_of_a_stack_issues_the_result_once(
    rule, parts, result, inline_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = give(parts[0], language="fr")
    assert results(result) == []  # one of two: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        second = give(parts[1], name="Amina O.", language="fr")
    [award] = results(result)
    assert award.recipient_email == EMAIL and award.recipient_name == "Amina O."  # the latest name
    assert award.recipient_language == "fr"
    # the evidence lists the credentials that counted, in the signed credential too
    urls = [absolute("verify_page", public_id=a.public_id) for a in (first, second)]
    assert [e["url"] for e in award.evidence] == urls
    assert [e["id"] for e in award.credential["evidence"]] == urls
    outcome = StackingOutcome.objects.get()
    assert outcome.award == award and outcome.state == "issued" and outcome.rule_slug == rule.slug
    assert set(outcome.counted.all()) == {first, second}
    entry = AuditEntry.objects.get(action="stacking.issue")
    assert entry.data["rule"] == rule.slug and entry.data["counted"] == [first.public_id, second.public_id]
    assert entry.subject_id == str(award.pk)
    # the recipient is told, in their language, by one email that is also the claim email
    [email] = OutboxEmail.objects.filter(award=award)
    assert email.dedupe_key == f"claim:{award.pk}" and email.language == "fr" and email.to_email == EMAIL
    assert "Negotiation Skills" in email.body_text and "Mediation Skills" in email.body_text
    assert "/claim/" in email.body_text and "Dispute Resolution" in email.subject
    # evaluating again (a redelivered task, the result's own announcement) issues nothing more
    assert stacking_evaluate(email=EMAIL) == []
    assert len(results(result)) == 1


def test_declined_revoked_and_other_recipients_credentials_do_not_count(rule, parts, result):
    declined = give(parts[0])
    award_decline(award=declined)
    give(parts[1])
    assert stacking_evaluate(email=EMAIL) == []
    give(parts[0], email="someone.else@example.org")
    assert stacking_evaluate(email=EMAIL) == [] and stacking_evaluate(email="someone.else@example.org") == []
    revoked = give(parts[0])
    award_revoke(award=revoked, reason="Issued by mistake")
    assert stacking_evaluate(email=EMAIL) == []
    give(parts[0])  # pending (not answered) counts: it is not declined
    assert [o.state for o in stacking_evaluate(email=EMAIL)] == ["issued"]


def test_a_verified_identity_joins_its_addresses_and_the_result_goes_to_the_primary_one(
    rule, parts, result, django_user_model
):
    user = django_user_model.objects.create_user("amina", "amina@work.example.org", "pw")
    EmailAddress.objects.create(user=user, email="amina@work.example.org", verified=True, primary=True)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=False)
    EmailAddress.objects.create(user=user, email="unverified@example.org", verified=False, primary=False)
    give(parts[0], email="unverified@example.org")
    assert stacking_evaluate(email="unverified@example.org") == []  # not the account's: an identity of its own
    give(parts[0], email="amina@work.example.org")
    give(parts[1], email=EMAIL)
    [outcome] = stacking_evaluate(email=EMAIL)
    assert outcome.identity == f"user:{user.pk}" and outcome.award.recipient_email == "amina@work.example.org"


def test_the_recipient_already_holding_the_result_gets_nothing_more(rule, parts, result):
    give(result)
    give(parts[0])
    give(parts[1])
    assert stacking_evaluate(email=EMAIL) == [] and len(results(result)) == 1


def test_two_racing_evaluations_insert_one_outcome(rule, parts, result):
    """What the unique constraint does when two evaluations both found the stack complete (the threaded test
    in test_concurrency.py races them for real)."""
    from stacking import services

    give(parts[0])
    give(parts[1])
    [active] = active_rules()
    identity = services.identity_of(EMAIL)
    held = services._countable(identity)
    assert services._outcome_create(active, identity=identity, counted=held) is not None
    assert services._outcome_create(active, identity=identity, counted=held) is None
    assert StackingOutcome.objects.count() == 1 and len(results(result)) == 1


def test_a_suggestion_waits_for_staff(default_framework, tier, parts, result, staff_with):
    make_rule(default_framework, tier, on_complete="suggest")
    give(parts[0])
    give(parts[1])
    [outcome] = stacking_evaluate(email=EMAIL)
    assert outcome.state == "suggested" and outcome.award is None and results(result) == []
    assert AuditEntry.objects.filter(action="stacking.suggest").count() == 1
    assert stacking_evaluate(email=EMAIL) == []  # suggested once
    viewer = staff_with("credentials.view_award").user
    with pytest.raises(PermissionDenied):
        stacking_suggestion_approve(outcome=outcome, actor=viewer)
    with pytest.raises(PermissionDenied):
        stacking_suggestion_dismiss(outcome=outcome, actor=viewer)
    issuer_staff = staff_with("credentials.add_award").user
    award = stacking_suggestion_approve(outcome=outcome, actor=issuer_staff)
    outcome.refresh_from_db()
    assert outcome.state == "issued" and outcome.award == award and outcome.decided_by == issuer_staff
    assert award.created_by == issuer_staff and len(award.evidence) == 2
    with pytest.raises(ValidationError, match="already decided"):
        stacking_suggestion_dismiss(outcome=outcome, actor=issuer_staff)


def test_a_dismissed_suggestion_is_not_made_again(default_framework, tier, parts, result, staff_with):
    make_rule(default_framework, tier, on_complete="suggest")
    give(parts[0])
    give(parts[1])
    [outcome] = stacking_evaluate(email=EMAIL)
    stacking_suggestion_dismiss(outcome=outcome, actor=staff_with("credentials.add_award").user)
    outcome.refresh_from_db()
    assert outcome.state == "dismissed" and results(result) == []
    give(parts[0])
    assert stacking_evaluate(email=EMAIL) == []
    assert AuditEntry.objects.filter(action="stacking.dismiss").count() == 1


def test_backfill_applies_a_new_rule_to_past_awards(default_framework, tier, parts, result, capsys):
    give(parts[0])
    give(parts[1])
    give(parts[0], email="lea@example.org", name="Léa Martin")
    make_rule(default_framework, tier)  # the rule arrives after the credentials
    call_command("stacking_backfill", "--json")
    assert json.loads(capsys.readouterr().out) == {"recipients": 2, "issued": 1, "suggested": 0}
    assert [a.recipient_email for a in results(result)] == [EMAIL]
    call_command("stacking_backfill", "--rule", "negotiation-pathway")
    assert "0 credentials issued" in capsys.readouterr().out
    assert len(results(result)) == 1
    with pytest.raises(CommandError, match="No rule “nope”"):
        call_command("stacking_backfill", "--rule", "nope")


def test_a_rule_without_an_issuable_result_does_nothing(default_framework, tier, parts, result):
    make_rule(default_framework, tier, result="no-such-achievement")
    give(parts[0])
    give(parts[1])
    assert active_rules() == [] and stacking_evaluate(email=EMAIL) == []


def test_list_awards_prints_a_recipients_awards(parts, capsys):
    first = give(parts[0], email="Amina.Okonkwo@Example.org")
    give(parts[1], email="other@example.org")
    call_command("list_awards", "--email", "AMINA.OKONKWO@example.org", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "id": first.public_id,
            "achievement": "negotiation",
            "state": "issued",
            "issued_at": first.issued_at.isoformat(),
        }
    ]
    with pytest.raises(CommandError, match="not a valid email"):
        call_command("list_awards", "--email", "nope")


def test_accepting_into_an_account_joins_its_addresses_and_stacks(
    rule, parts, result, inline_tasks, django_user_model, django_capture_on_commit_callbacks
):
    from credentials.services import award_accept

    with django_capture_on_commit_callbacks(execute=True):
        give(parts[0], email="amina@work.example.org")
        second = give(parts[1])
    assert results(result) == []  # two addresses, two identities: no stack yet
    user = django_user_model.objects.create_user("amina", EMAIL, "pw")
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="amina@work.example.org", verified=True, primary=False)
    with django_capture_on_commit_callbacks(execute=True):
        award_accept(award=second)
    [award] = results(result)
    assert award.recipient_email == EMAIL
