"""Mounted at /staff/: a programme's Applications pages (views/staff.py)."""

from django.urls import path

from .views import staff as views

app_name = "application_staff"

_a = "p/<slug:programme>/applications/"

urlpatterns = [
    path(_a, views.queue, name="queue"),
    path(_a + "<int:pk>/", views.detail, name="detail"),
    path(_a + "<int:pk>/decide/", views.decide, name="decide"),
    path(_a + "<int:pk>/files/<int:file_pk>/", views.file, name="file"),
    path(_a + "<int:pk>/sessions/<int:session_pk>/confirm/", views.session_confirm, name="session_confirm"),
    path(_a + "routes/<slug:slug>/", views.route, name="route"),
]
