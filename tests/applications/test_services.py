"""The services: applying with evidence (and every way it is refused), permissions of staff, the nominee's link,
approval issuing the credential into the wallet, changes and resubmission, mentoring sessions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import Application, ApplicationReview
from applications.tokens import TokenError, review_tokens
from credentials.models import Award
from outbox.models import OutboxEmail
from tests.applications.conftest import PDF, pdf_upload, png_bytes


def submit(world, user=None, **fields):
    values = {"narrative": "I applied it.", "links": ["https://example.org/work"], "uploads": []}
    values.update(fields)
    return services.application_submit(
        achievement=world.application_badge, user=user or world.users["learner"], **values
    )


def codes(exc) -> set:
    return {e.code for e in exc.value.error_list} if hasattr(exc.value, "error_list") else set()


# --- applying --------------------------------------------------------------------------------------------------


def test_submit_stores_evidence_and_emails_the_nominee_in_their_language(world, submitted):
    assert submitted.state == "submitted" and submitted.round == 1
    assert submitted.email == "learner@example.org" and submitted.name == "Amina Okonkwo"
    assert submitted.links == [{"url": "https://example.org/checklist"}]
    [item] = submitted.files.all()
    assert (
        item.content_type == "image/png" and item.filename == "photo.png" and item.file.name.startswith("applications/")
    )
    email = OutboxEmail.objects.get(kind="application_nominee")
    assert email.to_email == "assessor@example.net" and email.language == "fr"
    assert f"/applications/review/{submitted.pk}/" in email.body_text
    assert "named you as their assessor" in email.body_text or "évaluat" in email.body_text


def test_closed_route_and_non_evidence_achievement_refuse(world):
    services.route_save(achievement=world.application_badge, actor=world.users["manager"], is_open=False)
    with pytest.raises(ValidationError) as exc:
        submit(world)
    assert "closed" in codes(exc)
    with pytest.raises(ValidationError):
        services.application_submit(achievement=world.competency_badge, user=world.users["learner"], narrative="x")


def test_applying_twice_is_refused(world, submitted):
    with pytest.raises(ValidationError) as exc:
        submit(world)
    assert "already_applied" in codes(exc)
    assert Application.objects.count() == 1


def test_unverified_account_cannot_apply(world):
    with pytest.raises(ValidationError) as exc:
        submit(world, user=world.users["unverified"])
    assert "unverified" in codes(exc)


def test_learner_cannot_nominate_themselves(world):
    with pytest.raises(ValidationError) as exc:
        submit(world, nominee_email="LEARNER@example.org", nominee_name="Me")
    assert "nominee_email" in exc.value.message_dict


def test_narrative_required_and_bad_links_are_named(world):
    with pytest.raises(ValidationError) as exc:
        submit(world, narrative="  ", links=["javascript:alert(1)", "ftp://x"])
    assert set(exc.value.message_dict) == {"narrative", "links"}


def test_minimum_files_are_enforced(world):
    services.route_save(achievement=world.application_badge, actor=world.users["manager"], min_files=1)
    with pytest.raises(ValidationError) as exc:
        submit(world)
    assert "files" in exc.value.message_dict
    assert submit(world, uploads=[pdf_upload()]).files.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"just text", "Only PDF documents and PNG or JPEG images"),
        ("photo.png", b"GIF89a not really a png", "Only PDF documents and PNG or JPEG images"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "could not be read"),
        ("doc.pdf", b"%PDF-1.4\n/JavaScript (app.alert(1))\n%%EOF\n", "active content"),
        ("doc.pdf", b"%PDF-1.4\ntruncated", "incomplete or damaged"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(world, name, content, message):
    with pytest.raises(ValidationError) as exc:
        submit(world, uploads=[SimpleUploadedFile(name, content)])
    assert message in exc.value.message_dict["files"][0]
    assert not Application.objects.exists()


def test_huge_file_is_refused(world):
    big = SimpleUploadedFile("big.pdf", PDF[:-7] + b"0" * (10 * 1024 * 1024) + b"\n%%EOF\n")
    with pytest.raises(ValidationError) as exc:
        submit(world, uploads=[big])
    assert "larger than 10 MB" in exc.value.message_dict["files"][0]


def test_hostile_filename_is_sanitised(world):
    application = submit(world, uploads=[SimpleUploadedFile("../../etc/<script>passwd.png", png_bytes())])
    [item] = application.files.all()
    assert item.filename == "script-passwd.png"
    assert ".." not in item.file.name


# --- permissions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["viewer", "other_manager", "outsider", "learner"])
def test_staff_without_the_role_cannot_decide(world, submitted, who):
    with pytest.raises(PermissionDenied):
        services.application_decide(application=submitted, decision="approve", actor=world.users[who])
    submitted.refresh_from_db()
    assert submitted.state == "submitted" and not Award.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "issuer", "other_manager"])
def test_only_the_programme_managers_open_routes(world, who):
    with pytest.raises(PermissionDenied):
        services.route_save(achievement=world.application_badge, actor=world.users[who], is_open=False)


def test_only_evidence_categories_can_be_opened(world):
    with pytest.raises(ValidationError) as exc:
        services.route_save(achievement=world.competency_badge, actor=world.users["manager"], is_open=True)
    assert "is_open" in exc.value.message_dict


# --- approval ------------------------------------------------------------------------------------------------


def test_staff_approval_issues_the_credential_with_the_evidence_into_the_wallet(world, submitted):
    from wallets.models import WalletEntry

    result = services.application_decide(
        application=submitted, decision="approve", comment="Well documented.", actor=world.users["issuer"]
    )
    award = result.award
    assert result.state == "approved" and award.state == Award.State.ACCEPTED
    assert award.recipient_email == "learner@example.org" and award.narrative == submitted.narrative
    urls = [item.get("url") for item in award.evidence]
    assert "https://example.org/checklist" in urls
    [item] = submitted.files.all()
    assert f"https://laurel.example.org/applications/evidence/{item.public_key}/photo.png" in urls
    assert any(e.get("narrative") == "Well documented." for e in award.evidence)
    credential_evidence = award.credential["evidence"]
    assert any(e.get("id", "").endswith("/photo.png") for e in credential_evidence)
    assert WalletEntry.objects.filter(user=world.users["learner"], award=award).exists()
    email = OutboxEmail.objects.get(kind="application_approved")
    assert email.to_email == "learner@example.org" and f"/wallet/c/{award.public_id}/" in email.body_text
    review = ApplicationReview.objects.get()
    assert review.author == world.users["issuer"] and review.decision == "approve" and not review.by_nominee


def test_double_approval_issues_once(world, submitted):
    services.application_decide(application=submitted, decision="approve", actor=world.users["issuer"])
    with pytest.raises(ValidationError) as exc:
        services.application_decide(application=submitted, decision="approve", actor=world.users["manager"])
    assert "not_waiting" in codes(exc)
    assert Award.objects.count() == 1 and ApplicationReview.objects.count() == 1


def test_approve_after_decline_is_refused(world, submitted):
    with pytest.raises(ValidationError):
        services.application_decide(application=submitted, decision="decline", actor=world.users["issuer"])  # no reason
    services.application_decide(
        application=submitted, decision="decline", comment="Not in scope.", actor=world.users["issuer"]
    )
    assert OutboxEmail.objects.get(kind="application_declined").body_text.count("Not in scope.") == 1
    with pytest.raises(ValidationError):
        services.application_decide(application=submitted, decision="approve", actor=world.users["issuer"])
    assert not Award.objects.exists()


def test_unknown_decision_is_refused(world, submitted):
    with pytest.raises(ValidationError):
        services.application_decide(application=submitted, decision="maybe", actor=world.users["issuer"])


# --- the nominee's link --------------------------------------------------------------------------------------


def test_nominee_approves_with_the_link_and_the_link_is_then_used(world, submitted):
    token = review_tokens.make_token(submitted)
    result = services.application_decide(application=submitted, decision="approve", token=token, comment="Seen it.")
    assert result.state == "approved" and result.award.state == Award.State.ACCEPTED
    review = ApplicationReview.objects.get()
    assert review.by_nominee and review.author is None and review.author_name == "Grace Assessor"
    with pytest.raises(TokenError) as exc:
        services.application_decide(application=submitted, decision="approve", token=token)
    assert exc.value.reason == "used"
    assert Award.objects.count() == 1


def test_forged_and_expired_links_are_refused(world, submitted, monkeypatch):
    with pytest.raises(TokenError) as exc:
        services.application_decide(application=submitted, decision="approve", token="abc-0123456789")
    assert exc.value.reason == "forged"
    with pytest.raises(TokenError) as exc:
        services.application_decide(application=submitted, decision="approve", token="nonsense")
    assert exc.value.reason == "malformed"
    token = review_tokens.make_token(submitted)
    later = review_tokens._now_seconds() + 31 * 24 * 3600
    monkeypatch.setattr(type(review_tokens), "_now_seconds", lambda self: later)
    with pytest.raises(TokenError) as exc:
        services.application_decide(application=submitted, decision="approve", token=token)
    assert exc.value.reason == "expired"
    assert not Award.objects.exists()


def test_changes_resubmission_and_a_fresh_link(world, submitted):
    first = review_tokens.make_token(submitted)
    services.application_decide(
        application=submitted, decision="changes", comment="Add the signed checklist.", token=first
    )
    assert OutboxEmail.objects.get(kind="application_changes").to_email == "learner@example.org"
    submitted.refresh_from_db()
    assert submitted.state == "changes_requested"
    with pytest.raises(PermissionDenied):  # another person cannot resubmit
        services.application_resubmit(application=submitted, user=world.users["other_learner"], narrative="x")
    [old] = submitted.files.all()
    services.application_resubmit(
        application=submitted, user=world.users["learner"], narrative="Now with the signed checklist.",
        links=["https://example.org/v2"], uploads=[pdf_upload("signed.pdf")], remove_files=[str(old.pk)],
    )  # fmt: skip
    submitted.refresh_from_db()
    assert submitted.state == "submitted" and submitted.round == 2
    assert [f.filename for f in submitted.files.all()] == ["signed.pdf"]
    assert OutboxEmail.objects.filter(kind="application_nominee").count() == 2
    with pytest.raises(TokenError) as exc:
        review_tokens.check_token(submitted, first)
    assert exc.value.reason == "used"
    fresh = review_tokens.make_token(submitted)
    services.application_decide(application=submitted, decision="approve", token=fresh)
    submitted.refresh_from_db()
    assert submitted.state == "approved"


def test_withdraw_only_by_the_applicant_while_open(world, submitted):
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=submitted, user=world.users["other_learner"])
    services.application_withdraw(application=submitted, user=world.users["learner"])
    with pytest.raises(ValidationError):
        services.application_withdraw(application=submitted, user=world.users["learner"])
    assert submit(world).state == "submitted"  # may apply again after withdrawing


# --- mentoring -----------------------------------------------------------------------------------------------


def test_mentoring_sessions_must_be_confirmed_before_approval(world):
    learner = world.users["learner"]
    application = services.application_submit(
        achievement=world.mentor_badge, user=learner, nominee_email="mentor@example.net", nominee_name="Maria Mentor"
    )
    assert application.nominee_role == "mentor"
    token = review_tokens.make_token(application)
    with pytest.raises(ValidationError) as exc:
        services.application_decide(application=application, decision="approve", token=token)
    assert "sessions" in codes(exc)
    today = date.today()
    first = services.session_record(application=application, user=learner, date=today - timedelta(days=14),
                                    minutes=60, topic="Setting goals")  # fmt: skip
    second = services.session_record(application=application, user=learner, date=today - timedelta(days=7),
                                     minutes=45, topic="Feedback on a site visit")  # fmt: skip
    with pytest.raises(ValidationError):
        services.session_record(application=application, user=learner, date=today + timedelta(days=3), minutes=30,
                                topic="Future")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.session_confirm(session=first, actor=world.users["viewer"])
    services.session_confirm(session=first, token=token)
    with pytest.raises(ValidationError):
        services.application_decide(application=application, decision="approve", token=token)
    services.session_confirm(session=second, actor=world.users["issuer"])
    result = services.application_decide(application=application, decision="approve", token=token)
    names = [e["name"] for e in result.award.evidence]
    assert any(e.get("narrative") == "Setting goals" for e in result.award.evidence)
    assert sum("Mentoring session" in name for name in names) == 2


def test_an_assessor_cannot_confirm_sessions(world, submitted):
    from applications.models import MentoringSession

    session = MentoringSession.objects.create(application=submitted, date=date.today(), minutes=10, topic="x")
    with pytest.raises(PermissionDenied):
        services.session_confirm(session=session, token=review_tokens.make_token(submitted))


def test_sessions_only_on_mentoring_routes(world, submitted):
    with pytest.raises(ValidationError):
        services.session_record(application=submitted, user=world.users["learner"], date=date.today(), minutes=30,
                                topic="x")  # fmt: skip


def test_staff_may_decline_while_changes_are_asked_the_nominee_may_not(world, submitted):
    token = review_tokens.make_token(submitted)
    services.application_decide(application=submitted, decision="changes", comment="More, please.", token=token)
    with pytest.raises(TokenError):
        services.application_decide(application=submitted, decision="decline", comment="No.", token=token)
    result = services.application_decide(
        application=submitted, decision="decline", comment="No answer for months.", actor=world.users["manager"]
    )
    assert result.state == "declined" and not Award.objects.exists()
