from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.enter, name="enter"),
    path("<str:code>/", views.event, name="event"),
    path("<str:code>/poster/", views.poster, name="poster"),
    path("<str:code>/confirm/<int:claim_id>/<str:token>/", views.confirm, name="confirm"),
]
