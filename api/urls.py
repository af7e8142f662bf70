from django.urls import path, re_path

from . import views, views_analytics, views_awards
from .problems import not_found_view

app_name = "api"

urlpatterns = [
    path("programmes", views.ProgrammeList.as_view(), name="programmes"),
    path("programmes/<slug:slug>", views.ProgrammeDetail.as_view(), name="programme"),
    path("framework", views.Framework.as_view(), name="framework"),
    path("achievements", views.AchievementList.as_view(), name="achievements"),
    path("achievements/<slug:slug>", views.AchievementDetail.as_view(), name="achievement"),
    path("awards", views_awards.AwardList.as_view(), name="awards"),
    path("awards/batch", views_awards.AwardBatch.as_view(), name="awards_batch"),
    path("awards/<str:public_id>", views_awards.AwardDetail.as_view(), name="award"),
    path("awards/<str:public_id>/revoke", views_awards.AwardRevoke.as_view(), name="award_revoke"),
    path("awards/<str:public_id>/reissue", views_awards.AwardReissue.as_view(), name="award_reissue"),
    path("awards/<str:public_id>/resend-claim", views_awards.AwardResendClaim.as_view(), name="award_resend_claim"),
    path("bulk-jobs", views.BulkJobList.as_view(), name="bulk_jobs"),
    path("bulk-jobs/<int:pk>", views.BulkJobDetail.as_view(), name="bulk_job"),
    path("bulk-jobs/<int:pk>/progress", views.BulkJobProgress.as_view(), name="bulk_job_progress"),
    path("bulk-jobs/<int:pk>/start", views.BulkJobStart.as_view(), name="bulk_job_start"),
    path("events", views.EventList.as_view(), name="events"),
    path("events/<int:pk>", views.EventDetail.as_view(), name="event"),
    path("verify", views.Verify.as_view(), name="verify"),
    path("analytics", views_analytics.Analytics.as_view(), name="analytics"),
    re_path(r"^[\s\S]*$", not_found_view),  # any rest, newlines too
]
