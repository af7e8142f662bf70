from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("no-more/<str:token>/", views.opt_out, name="opt_out"),
    path("<str:token>/", views.answer, name="answer"),
]
