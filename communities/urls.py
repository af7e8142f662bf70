"""Mounted at /communities/: public community pages, invitations, the learner's memberships."""

from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/renew/", views.renew, name="renew"),
    path("mine/<int:pk>/directory/", views.directory_toggle, name="directory"),
    path("<slug:slug>/", views.community, name="community"),
    path("<slug:slug>/invite/<int:pk>/<str:token>/", views.invite, name="invite"),
]
