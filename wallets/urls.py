from django.urls import path

from . import views

app_name = "wallets"

urlpatterns = [
    path("wallet/", views.home, name="home"),
    path("wallet/c/<str:public_id>/", views.detail, name="detail"),
    path("wallet/c/<str:public_id>/answer/", views.answer, name="answer"),
    path("wallet/c/<str:public_id>/visibility/", views.visibility, name="visibility"),
    path("wallet/c/<str:public_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("wallet/c/<str:public_id>/endorsements/", views.endorsement_request, name="endorsement_request"),
    path("wallet/c/<str:public_id>/collect/", views.collection_add, name="collection_add"),
    path("wallet/evidence/<str:public_id>/", views.evidence_change, name="evidence_change"),
    path("wallet/evidence/<str:public_id>/file", views.evidence_file, name="evidence_file"),
    path("wallet/endorsements/<str:public_id>/", views.endorsement_visibility, name="endorsement_visibility"),
    path("wallet/collections/", views.collections, name="collections"),
    path("wallet/collections/<str:public_id>/", views.collection, name="collection"),
    path("wallet/profile/", views.profile_edit, name="profile_edit"),
    path("wallet/import/", views.import_credential, name="import"),
    path("wallet/imported/<str:public_id>/", views.external, name="external"),
    path("wallet/imported/<str:public_id>/image.png", views.external_image, name="external_image"),
    path("wallet/data/", views.my_data, name="data"),
    path("wallet/data/export.zip", views.my_data_export, name="data_export"),
    path("wallet/claim/<str:public_id>/<str:token>/", views.claim, name="claim"),
    path("u/<slug:handle>/", views.profile, name="profile"),
    path("collections/<str:public_id>/", views.collection_public, name="collection_public"),
    path("share/<str:public_id>/<str:channel>/", views.share, name="share"),
    path("embed/<str:public_id>/", views.embed, name="embed"),
    path("endorse/<str:public_id>/<str:token>/", views.endorse, name="endorse"),
    path("endorsements/<str:public_id>/credential.json", views.endorsement_ob3, name="endorsement_ob3"),
    path("endorsements/<str:public_id>/ob2.json", views.endorsement_ob2, name="endorsement_ob2"),
]
