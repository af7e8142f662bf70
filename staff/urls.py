"""The staff console at /staff/ (issue 11.3). Analytics (/staff/analytics/) and a programme's team
(/staff/p/<slug>/team/) are other apps' pages, linked by path from the navigation."""

from django.urls import path

from .views import achievements, apikeys, awards, home, issue, jobs, people, stacking

app_name = "staff"

P = "p/<slug:programme>/"

urlpatterns = [
    path("", home.index, name="index"),
    path("search/", people.search, name="search"),
    path(P, home.home, name="home"),
    path(P + "issue/", issue.issue, name="issue"),
    path(P + "issue/confirm/", issue.issue_confirm, name="issue_confirm"),
    path(P + "issue/certificate/", issue.certificate_preview, name="issue_certificate"),
    path(P + "issue/certificate.pdf", issue.certificate_preview_pdf, name="issue_certificate_pdf"),
    path(P + "jobs/<int:pk>/", jobs.job, name="job"),
    path(P + "jobs/<int:pk>/start/", jobs.job_start, name="job_start"),
    path(P + "jobs/<int:pk>/progress.json", jobs.job_progress, name="job_progress"),
    path(P + "jobs/<int:pk>/report.csv", jobs.job_report, name="job_report"),
    path(P + "achievements/", achievements.achievements, name="achievements"),
    path(P + "achievements/new/", achievements.achievement_new, name="achievement_new"),
    path(P + "achievements/preview.png", achievements.badge_preview, name="achievement_preview"),
    path(P + "achievements/<int:pk>/", achievements.achievement_detail, name="achievement"),
    path(P + "achievements/<int:pk>/edit/", achievements.achievement_edit, name="achievement_edit"),
    path(P + "achievements/<int:pk>/<slug:step>/", achievements.achievement_step, name="achievement_step"),
    path(P + "awards/", awards.awards, name="awards"),
    path(P + "awards/export.csv", awards.awards_export, name="awards_export"),
    path(P + "awards/revoke/", awards.awards_revoke, name="awards_revoke"),
    path(P + "awards/<str:public_id>/", awards.award_detail, name="award"),
    path(P + "awards/<str:public_id>/resend/", awards.award_resend, name="award_resend"),
    path(P + "awards/<str:public_id>/revoke/", awards.award_revoke_view, name="award_revoke"),
    path(P + "awards/<str:public_id>/reissue/", awards.award_reissue_view, name="award_reissue"),
    path(P + "recipients/", people.recipients, name="recipients"),
    path(P + "recipients/<str:email>/", people.recipient, name="recipient"),
    path(P + "events/", people.events, name="events"),
    path(P + "stacking/", stacking.suggestions, name="stacking"),
    path(P + "stacking/<int:pk>/approve/", stacking.suggestion_approve, name="stacking_approve"),
    path(P + "stacking/<int:pk>/dismiss/", stacking.suggestion_dismiss, name="stacking_dismiss"),
    path(P + "api-keys/", apikeys.api_keys, name="api_keys"),
    path(P + "api-keys/<int:pk>/revoke/", apikeys.api_key_revoke_view, name="api_key_revoke"),
    path(P + "events/counts.json", people.event_counts, name="event_counts"),
]
