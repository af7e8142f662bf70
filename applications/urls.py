"""Mounted at /: apply from an achievement's page, the learner's applications and goals (in the wallet), the
nominee's signed review link, approved evidence files."""

from django.urls import path

from .views import learner, review

app_name = "applications"

_r = "applications/review/<int:pk>/<str:token>/"

urlpatterns = [
    path("achievements/<slug:slug>/apply/", learner.apply, name="apply"),
    path("wallet/applications/", learner.mine, name="list"),
    path("wallet/applications/<int:pk>/", learner.detail, name="detail"),
    path("wallet/applications/<int:pk>/resubmit/", learner.resubmit, name="resubmit"),
    path("wallet/applications/<int:pk>/withdraw/", learner.withdraw, name="withdraw"),
    path("wallet/applications/<int:pk>/sessions/", learner.session_add, name="session_add"),
    path("wallet/applications/<int:pk>/files/<int:file_pk>/", learner.file, name="file"),
    path("wallet/goals/", learner.goals, name="goals"),
    path("wallet/goals/<int:pk>/remove/", learner.goal_remove, name="goal_remove"),
    path(_r, review.review, name="review"),
    path(_r + "files/<int:file_pk>/", review.review_file, name="review_file"),
    path(_r + "sessions/<int:session_pk>/confirm/", review.review_session, name="review_session"),
    path("applications/evidence/<str:key>/<str:filename>", learner.public_file, name="public_file"),
]
