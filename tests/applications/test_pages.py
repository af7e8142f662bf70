"""Full stack through the test client: the Apply button, the apply form, the learner's pages, the nominee's link,
the console (permissions, decide, routes), the files' access rules, goals, query budgets, account deletion."""

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, LearnerGoal
from applications.tokens import review_tokens
from credentials.models import Award
from outbox.models import OutboxEmail
from tests.applications.conftest import PDF, client_of, png_bytes, png_upload


def apply_data(**extra):
    data = {
        "narrative": "I adopted the checklist.", "links": "https://example.org/one\nhttps://example.org/two",
        "email": "learner@example.org", "nominee_name": "Grace Assessor", "nominee_email": "grace@example.net",
        "nominee_language": "en",
    }  # fmt: skip
    data.update(extra)
    return data


def test_achievement_page_shows_apply_only_when_open(world, client):
    page = client.get(f"/achievements/{world.application_badge.slug}/")
    assert b"Apply for this credential" in page.content
    assert b"Apply for this credential" not in client.get(f"/achievements/{world.competency_badge.slug}/").content


def test_apply_needs_sign_in_and_an_open_route(world, client):
    response = client.get(f"/achievements/{world.application_badge.slug}/apply/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/achievements/{world.competency_badge.slug}/apply/").status_code == 404
    assert client.get("/achievements/nope/apply/").status_code == 404


def test_apply_with_file_link_and_narrative(world):
    learner = client_of(world.users["learner"])
    url = f"/achievements/{world.application_badge.slug}/apply/"
    page = learner.get(url)
    assert page.status_code == 200 and b"unguessable address" in page.content
    response = learner.post(url, {**apply_data(), "files": [png_upload(), SimpleUploadedFile("r.pdf", PDF)]})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/wallet/applications/{application.pk}/"
    assert application.files.count() == 2 and len(application.links) == 2
    assert OutboxEmail.objects.filter(kind="application_nominee", to_email="grace@example.net").exists()
    detail = learner.get(response["Location"])
    assert b"Waiting for review" in detail.content and b"photo.png" in detail.content
    # applying again leads to the application
    again = learner.get(url)
    assert again.status_code == 302 and again["Location"] == f"/wallet/applications/{application.pk}/"


def test_bad_file_gets_a_message_not_a_500(world):
    learner = client_of(world.users["learner"])
    response = learner.post(
        f"/achievements/{world.application_badge.slug}/apply/",
        {**apply_data(), "files": [SimpleUploadedFile("evil.png", b"MZ\x90\x00 an executable")]},
    )
    assert response.status_code == 400
    assert b"Only PDF documents and PNG or JPEG images" in response.content
    assert not Application.objects.exists()


def test_files_are_private_until_approval(world, submitted, client):
    [item] = submitted.files.all()
    own = f"/wallet/applications/{submitted.pk}/files/{item.pk}/"
    assert client_of(world.users["learner"]).get(own).status_code == 200
    assert client_of(world.users["other_learner"]).get(own).status_code == 404
    public = f"/applications/evidence/{item.public_key}/{item.filename}"
    assert client.get(public).status_code == 404
    staff = f"/staff/p/{world.programme.slug}/applications/{submitted.pk}/files/{item.pk}/"
    assert client_of(world.users["viewer"]).get(staff).status_code == 200
    assert client_of(world.users["other_manager"]).get(staff).status_code == 404
    token = review_tokens.make_token(submitted)
    nominee = f"/applications/review/{submitted.pk}/{token}/files/{item.pk}/"
    response = client.get(nominee)
    assert response.status_code == 200 and response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert client.get(f"/applications/review/{submitted.pk}/x-{token[2:]}/files/{item.pk}/").status_code == 400
    client.post(f"/applications/review/{submitted.pk}/{token}/", {"decision": "approve"})
    response = client.get(public)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get(f"/applications/evidence/{item.public_key}/other.png").status_code == 404


def test_nominee_link_approves_and_the_wallet_shows_the_credential(world, submitted, client):
    token = review_tokens.make_token(submitted)
    url = f"/applications/review/{submitted.pk}/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and b"I adopted the revised checklist" in page.content
    done = client.post(url, {"decision": "approve", "comment": "Clear evidence."})
    assert done.status_code == 200 and b"received the credential" in done.content
    award = Award.objects.get()
    assert b"Review by Grace Assessor" in client.get(f"/c/{award.public_id}/").content  # narrative-only evidence
    wallet = client_of(world.users["learner"]).get("/wallet/")
    assert award.public_id.encode() in wallet.content
    used = client.get(url)
    assert used.status_code == 410 and b"already used" in used.content
    assert client.post(url, {"decision": "approve"}).status_code == 410
    assert Award.objects.count() == 1


def test_forged_link_and_missing_comment(world, submitted, client):
    assert client.get(f"/applications/review/{submitted.pk}/1-deadbeef/").status_code == 400
    assert client.get("/applications/review/999999/1-deadbeef/").status_code == 400
    token = review_tokens.make_token(submitted)
    response = client.post(f"/applications/review/{submitted.pk}/{token}/", {"decision": "decline", "comment": ""})
    assert response.status_code == 400 and b"the applicant will read it" in response.content


def test_console_permissions(world, submitted, client):
    queue = f"/staff/p/{world.programme.slug}/applications/"
    decide = f"/staff/p/{world.programme.slug}/applications/{submitted.pk}/decide/"
    assert client.get(queue).status_code == 302  # sign in
    assert client_of(world.users["outsider"]).get(queue).status_code == 403
    assert client_of(world.users["other_manager"]).get(queue).status_code == 404
    viewer = client_of(world.users["viewer"])
    page = viewer.get(queue)
    assert page.status_code == 200 and b"Amina Okonkwo" in page.content
    assert viewer.post(decide, {"decision": "approve"}).status_code == 403
    assert client_of(world.users["issuer"]).get(decide).status_code == 405
    response = client_of(world.users["issuer"]).post(decide, {"decision": "approve"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "approved"
    again = client_of(world.users["manager"]).post(decide, {"decision": "approve"})
    assert again.status_code == 400 and b"already answered" in again.content
    assert Award.objects.count() == 1


def test_console_route_settings(world):
    url = f"/staff/p/{world.programme.slug}/applications/routes/{world.competency_badge.slug}/"
    assert client_of(world.users["issuer"]).get(url).status_code == 403
    manager = client_of(world.users["manager"])
    response = manager.post(url, {"is_open": "on", "nominee": "", "sessions_required": 0, "narrative_required": "on",
                                  "min_files": 0, "min_links": 0})  # fmt: skip
    assert response.status_code == 400 and b"can be opened to applications" in response.content
    url = f"/staff/p/{world.programme.slug}/applications/routes/{world.application_badge.slug}/"
    response = manager.post(url, {"nominee": "assessor", "sessions_required": 0, "min_files": 1, "min_links": 0})
    assert response.status_code == 302
    world.route.refresh_from_db()
    assert not world.route.is_open and world.route.min_files == 1


def test_learner_resubmits_after_changes(world, submitted):
    token = review_tokens.make_token(submitted)
    client_of(world.users["outsider"]).post(
        f"/applications/review/{submitted.pk}/{token}/", {"decision": "changes", "comment": "Add a PDF."}
    )
    learner = client_of(world.users["learner"])
    page = learner.get(f"/wallet/applications/{submitted.pk}/")
    assert b"Add a PDF." in page.content and b"Send my changes" in page.content
    response = learner.post(
        f"/wallet/applications/{submitted.pk}/resubmit/",
        {"narrative": "With the PDF.", "links": "", "files": [SimpleUploadedFile("r.pdf", PDF)]},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "submitted" and submitted.round == 2 and submitted.files.count() == 2
    assert (
        client_of(world.users["other_learner"]).post(f"/wallet/applications/{submitted.pk}/withdraw/").status_code
        == 404
    )


def test_mentee_records_a_session_the_mentor_confirms(world, client):
    from applications.services import application_submit

    application = application_submit(achievement=world.mentor_badge, user=world.users["learner"],
                                     nominee_email="m@example.net", nominee_name="Maria")  # fmt: skip
    learner = client_of(world.users["learner"])
    response = learner.post(f"/wallet/applications/{application.pk}/sessions/",
                            {"date": "2026-01-10", "minutes": 60, "topic": "Goals"})  # fmt: skip
    assert response.status_code == 302
    bad = learner.post(f"/wallet/applications/{application.pk}/sessions/", {"date": "x", "minutes": 0, "topic": ""})
    assert bad.status_code == 400
    session = application.sessions.get()
    token = review_tokens.make_token(application)
    client.post(f"/applications/review/{application.pk}/{token}/sessions/{session.pk}/confirm/")
    session.refresh_from_db()
    assert session.confirmed_by == "Maria"
    page = client.get(f"/applications/review/{application.pk}/{token}/")
    assert b"1 of 2 required sessions confirmed" in page.content


def test_goals_page_shows_the_paths(world, default_framework):
    from frameworks.models import StackingRule

    StackingRule.objects.create(
        framework=default_framework, slug="to-mentoring", name="Inspection then application", mode="all",
        components=["inspection-basics", "workplace-application"], result_achievement="peer-mentee",
        result_category=default_framework.badgecategory_set.get(code="mentoring_coaching"),
    )  # fmt: skip
    learner = client_of(world.users["learner"])
    assert learner.post("/wallet/goals/", {"achievement": "nope"}).status_code == 400
    response = learner.post("/wallet/goals/", {"achievement": "peer-mentee", "note": "Become a mentor"})
    assert response.status_code == 302
    page = learner.get("/wallet/goals/")
    assert b"Inspection then application" in page.content and b"0 of 2" in page.content
    assert b"/achievements/workplace-application/apply/" in page.content  # an input open for application
    assert b"/achievements/peer-mentee/apply/" in page.content  # the target itself is open
    goal = LearnerGoal.objects.get()
    assert client_of(world.users["other_learner"]).post(f"/wallet/goals/{goal.pk}/remove/").status_code == 302
    assert LearnerGoal.objects.exists()  # not theirs
    learner.post(f"/wallet/goals/{goal.pk}/remove/")
    assert not LearnerGoal.objects.exists()


def test_query_budgets_do_not_grow(world, django_user_model, django_assert_max_num_queries):
    from applications.services import application_submit
    from tests.applications.conftest import verified_user

    def add(n):
        for i in range(n):
            user = verified_user(django_user_model, f"bulk{Application.objects.count()}-{i}")
            application_submit(achievement=world.application_badge, user=user, narrative="x",
                               uploads=[SimpleUploadedFile("p.png", png_bytes())])  # fmt: skip

    viewer = client_of(world.users["viewer"])
    learner = client_of(world.users["learner"])
    application_submit(achievement=world.application_badge, user=world.users["learner"], narrative="x",
                       uploads=[png_upload()])  # fmt: skip
    application_submit(achievement=world.mentor_badge, user=world.users["learner"], narrative="x")
    add(2)
    url = f"/staff/p/{world.programme.slug}/applications/"
    viewer.get(url), learner.get("/wallet/applications/")
    with django_assert_max_num_queries(12) as small:
        viewer.get(url)
    with django_assert_max_num_queries(12) as small_learner:
        learner.get("/wallet/applications/")
    add(5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert viewer.get(url).status_code == 200
    with django_assert_max_num_queries(len(small_learner.captured_queries)):
        assert learner.get("/wallet/applications/").status_code == 200


def test_account_deletion_and_export_with_applications(world, submitted, django_capture_on_commit_callbacks):
    from wallets.services import account_delete, account_export
    from wallets.storage import private_storage

    LearnerGoal.objects.create(user=world.users["learner"], achievement=world.mentor_badge)
    [item] = submitted.files.all()
    name = item.file.name
    assert private_storage().exists(name)
    account_export(user=world.users["learner"]).close()
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=world.users["learner"])
    assert not Application.objects.exists() and not LearnerGoal.objects.exists()
    assert not private_storage().exists(name)


def test_unverified_account_is_told_to_confirm_an_address(world):
    page = client_of(world.users["unverified"])
    url = f"/achievements/{world.application_badge.slug}/apply/"
    assert b"Confirm your email address first" in page.get(url).content
    response = page.post(url, apply_data(email="unverified@example.org"))
    assert response.status_code == 400 and not Application.objects.exists()
