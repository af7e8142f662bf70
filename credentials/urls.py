from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("c/<str:public_id>/", views.verify_page, name="verify_page"),
    path("c/<str:public_id>/credential.json", views.ob3_credential, name="ob3_credential"),
    path("c/<str:public_id>/badge.png", views.baked_png, {"version": "all"}, name="baked_png_all"),
    path("c/<str:public_id>/badge-<str:version>.png", views.baked_png, name="baked_png"),
    path("c/<str:public_id>/badge.svg", views.baked_svg, name="baked_svg"),
    path("c/<str:public_id>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("c/<str:public_id>/claim/<str:token>/", views.claim, name="claim"),
    path("ob2/assertions/<str:public_id>.json", views.ob2_assertion, name="ob2_assertion"),
    path("ob2/badges/<slug:slug>.json", views.ob2_badge_class, name="ob2_badge_class"),
    path("ob2/issuers/<slug:slug>.json", views.ob2_issuer, name="ob2_issuer"),
    path("status/<int:pk>", views.status_list, name="status_list"),
    path("issuers/<slug:slug>/", views.issuer_page, name="issuer"),
    path("issuers/<slug:slug>/did.json", views.issuer_did, name="issuer_did"),
    path("issuers/<slug:slug>/logo", views.issuer_image, name="issuer_image"),
    path("achievements/<slug:slug>/", views.achievement_page, name="achievement_page"),
    path("achievements/<slug:slug>/image.png", views.achievement_image, name="achievement_image"),
    path("achievements/<slug:slug>/image-<str:digest>.png", views.achievement_image_at, name="achievement_image_at"),
    path("verify/", views.verify_anything, name="verify"),
    path("api/verify", views.api_verify, name="api_verify"),
]
