from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:programme>/", views.dashboard, name="programme"),
    path("<slug:programme>/surveys/<slug:achievement>/", views.survey_settings, name="survey_settings"),
]
