from django.urls import path

from . import tracking

app_name = "tracking"

urlpatterns = [path("o/<str:token>.gif", tracking.email_open, name="email_open")]
