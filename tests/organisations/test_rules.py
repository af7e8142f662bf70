"""Organisation rules: the organisation's own credentials and its members' shared ones complete a rule, and the
result is issued once, automatically, with evidence, an audit entry naming the rule and an email to the admins."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from credentials.models import Award
from credentials.services import award_revoke
from organisations.evaluation import organisation_evaluate, progress
from organisations.models import OrganisationOutcome, SharedCredential
from organisations.rules import rule_create, rule_set_active
from organisations.services import credential_share, credential_unshare
from outbox.models import OutboxEmail

from .conftest import issue_to_organisation


def share(world, *keys):
    for key in keys:
        credential_share(member=world.members[key], award=world.held[key], user=world.users[key])


def results(world):
    return Award.objects.filter(achievement=world.result)


def test_rule_completes_when_the_last_member_shares(world, inline_tasks, django_capture_on_commit_callbacks):
    world.rule()
    with django_capture_on_commit_callbacks(execute=True):
        issue_to_organisation(world.institutional, world.organisation)
        share(world, "m1", "m2")
    assert not results(world).exists()
    [item] = progress(world.organisation)
    assert [need.count for need in item.member_needs] == [2] and not item.satisfied
    with django_capture_on_commit_callbacks(execute=True):
        share(world, "m3")
    [award] = results(world)
    assert award.recipient_kind == "organisation" and award.recipient_email == world.organisation.email
    assert award.recipient_name == "Ministry of Labour"
    assert len(award.evidence) == 4 and all("/c/" in item["url"] for item in award.evidence)
    assert "Learning organisation pathway" in award.narrative
    outcome = OutboxEmail.objects.get(kind="organisation_awarded")
    assert outcome.to_email == "admin@example.org" and "Learning Organisation" in outcome.subject
    entry = AuditEntry.objects.get(action="organisation.rule_issue")
    assert entry.data["rule_name"] == "Learning organisation pathway" and len(entry.data["counted"]) == 4
    # a fourth share, an accepted claim, a backfill: still one
    with django_capture_on_commit_callbacks(execute=True):
        share(world, "m4")
    call_command("organisations_backfill")
    assert results(world).count() == 1 and OrganisationOutcome.objects.count() == 1


def test_the_organisation_credential_alone_completes_a_rule_whose_members_shared_first(
    world, inline_tasks, django_capture_on_commit_callbacks
):
    world.rule()
    with django_capture_on_commit_callbacks(execute=True):
        share(world, "m1", "m2", "m3")
    assert not results(world).exists()
    with django_capture_on_commit_callbacks(execute=True):
        issue_to_organisation(world.institutional, world.organisation)  # award_issued → evaluated
    assert results(world).count() == 1


def test_what_does_not_count(world, inline_tasks, django_capture_on_commit_callbacks, django_user_model):
    world.rule()
    with django_capture_on_commit_callbacks(execute=True):
        issue_to_organisation(world.institutional, world.organisation)
        share(world, "m1", "m2")
    # a revoked credential, an expired one, and one whose address the member no longer has
    award_revoke(award=world.held["m1"], reason="Issued in error")
    Award.objects.filter(pk=world.held["m2"].pk).update(expires_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        share(world, "m3", "m4")
    [item] = progress(world.organisation)
    assert item.member_needs[0].count == 2 and not results(world).exists()
    # a revoked credential cannot be shared again; sharing one twice (a double submit) keeps one row
    world.held["m1"].refresh_from_db()
    with pytest.raises(ValidationError):
        credential_share(member=world.members["m1"], award=world.held["m1"], user=world.users["m1"])
    share(world, "m3")
    assert SharedCredential.objects.filter(member=world.members["m3"]).count() == 1


def test_the_organisation_credential_must_be_issued_as_an_organisation(world, inline_tasks):
    from credentials.services import Recipient, award_issue

    world.rule(minimum=1)
    share(world, "m1")
    # the same address, issued as a person (a membership badge could be): it does not count for the organisation
    with pytest.raises(ValidationError):
        award_issue(
            achievement=world.institutional, recipient=Recipient(email=world.organisation.email, name="Ministry")
        )
    assert organisation_evaluate(organisation_id=world.organisation.pk) == []


def test_unsharing_takes_a_credential_out_of_the_count_but_an_issued_outcome_stays(
    world, inline_tasks, django_capture_on_commit_callbacks
):
    world.rule(minimum=2)
    with django_capture_on_commit_callbacks(execute=True):
        share(world, "m1")
        credential_unshare(member=world.members["m1"], award=world.held["m1"], user=world.users["m1"])
        issue_to_organisation(world.institutional, world.organisation)
        share(world, "m2")
    assert not results(world).exists()
    with django_capture_on_commit_callbacks(execute=True):
        share(world, "m3")
    assert results(world).count() == 1
    credential_unshare(member=world.members["m3"], award=world.held["m3"], user=world.users["m3"])
    assert results(world).get().state == "issued" and OrganisationOutcome.objects.count() == 1


def test_a_rule_created_after_the_shares_issues_at_once_and_an_inactive_rule_never(
    world, inline_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_to_organisation(world.institutional, world.organisation)
        share(world, "m1", "m2", "m3")
    with django_capture_on_commit_callbacks(execute=True):
        rule = world.rule()
        rule_set_active(rule=rule, is_active=False, actor=world.users["manager"])
    # created then deactivated in one transaction: the evaluation after commit sees it inactive
    assert not results(world).exists()
    with django_capture_on_commit_callbacks(execute=True):
        rule_set_active(rule=rule, is_active=True, actor=world.users["manager"])
    assert results(world).count() == 1


def test_backfill_command_issues_what_was_earned(world, capsys):
    rule = world.rule()
    issue_to_organisation(world.institutional, world.organisation)
    for key in ("m1", "m2", "m3"):
        SharedCredential.objects.create(member=world.members[key], award=world.held[key])
    call_command("organisations_backfill", "--json")
    assert '"issued": 1' in capsys.readouterr().out
    assert OrganisationOutcome.objects.get().rule == rule
    call_command("organisations_backfill", "--programme", world.programme.slug)
    assert "0 credentials issued" in capsys.readouterr().out


@pytest.mark.parametrize("who", ["viewer", "other_manager", "admin", "outsider"])
def test_only_the_programmes_managers_define_rules(world, who):
    with pytest.raises(PermissionDenied):
        world.rule(actor=world.users[who])
    rule = world.rule()
    with pytest.raises(PermissionDenied):
        rule_set_active(rule=rule, is_active=False, actor=world.users[who])


def test_rule_validation(world):
    manager = world.users["manager"]
    cases = [
        {"result": world.dialogue, "required_achievements": [], "requirements": [(world.dialogue, 1)]},  # a person's
        {"result": world.result, "required_achievements": [world.dialogue], "requirements": []},
        {"result": world.result, "required_achievements": [], "requirements": [(world.institutional, 2)]},
        {"result": world.result, "required_achievements": [], "requirements": [(world.dialogue, 0)]},
        {"result": world.result, "required_achievements": [], "requirements": []},
    ]
    for case in cases:
        with pytest.raises(ValidationError):
            rule_create(programme=world.programme, name="Rule", actor=manager, **case)
    with pytest.raises(ValidationError):  # an achievement of another programme
        rule_create(
            programme=world.other_programme, name="Rule", result=world.result, requirements=[(world.dialogue, 1)],
            actor=None,
        )  # fmt: skip
