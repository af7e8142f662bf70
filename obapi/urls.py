from django.urls import path

from . import views

app_name = "obapi"

urlpatterns = [
    path("discovery", views.discovery, name="discovery"),
    path("register", views.register, name="register"),
    path("authorize", views.AuthorizeView.as_view(), name="authorize"),
    path("token", views.token, name="token"),
    path("revoke", views.revoke, name="revoke"),
    path("credentials", views.credentials, name="credentials"),
    path("profile", views.profile, name="profile"),
]
