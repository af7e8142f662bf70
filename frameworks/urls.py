from django.urls import path

from . import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_page, name="current"),
    path("glossary/", views.glossary_page, name="glossary"),
    path("v/<int:version>/", views.framework_page, name="version"),
    path("v/<int:version>/glossary/", views.glossary_page, name="version_glossary"),
    path("v/<int:version>.json", views.framework_json, name="version_json"),
    path("v/<int:version>/palette.css", views.palette_css, name="palette_css"),
    path("badges/<int:pk>.png", views.sample_badge, name="sample_badge"),
    path("badges/<int:pk>.svg", views.badge_template_source, name="sample_badge_svg"),
    path("certificates/<int:pk>/", views.sample_certificate, name="sample_certificate"),
]
