from django.urls import path

from .views import account, claims, endorsements, evidence, imports, sharing, wallet

app_name = "wallets"

urlpatterns = [
    path("wallet/", wallet.home, name="home"),
    path("wallet/c/<str:public_id>/", wallet.detail, name="detail"),
    path("wallet/c/<str:public_id>/answer/", wallet.answer, name="answer"),
    path("wallet/c/<str:public_id>/visibility/", wallet.visibility, name="visibility"),
    path("wallet/c/<str:public_id>/evidence/", evidence.evidence_add, name="evidence_add"),
    path("wallet/c/<str:public_id>/endorsements/", endorsements.endorsement_request, name="endorsement_request"),
    path("wallet/c/<str:public_id>/collect/", wallet.collection_add, name="collection_add"),
    path("wallet/evidence/<str:public_id>/", evidence.evidence_change, name="evidence_change"),
    path("wallet/evidence/<str:public_id>/file", evidence.evidence_file, name="evidence_file"),
    path("wallet/endorsements/<str:public_id>/", endorsements.endorsement_visibility, name="endorsement_visibility"),
    path("wallet/collections/", wallet.collections, name="collections"),
    path("wallet/collections/<str:public_id>/", wallet.collection, name="collection"),
    path("wallet/profile/", account.profile_edit, name="profile_edit"),
    path("wallet/import/", imports.import_credential, name="import"),
    path("wallet/imported/<str:public_id>/", imports.external, name="external"),
    path("wallet/imported/<str:public_id>/image.png", imports.external_image, name="external_image"),
    path("wallet/data/", account.my_data, name="data"),
    path("wallet/data/export.zip", account.my_data_export, name="data_export"),
    path("wallet/claim/<str:public_id>/<str:token>/", claims.claim, name="claim"),
    path("u/<slug:handle>/", account.profile, name="profile"),
    path("collections/<str:public_id>/", wallet.collection_public, name="collection_public"),
    path("share/<str:public_id>/<str:channel>/", sharing.share, name="share"),
    path("embed/<str:public_id>/", sharing.embed, name="embed"),
    path("endorse/<str:public_id>/<str:token>/", endorsements.endorse, name="endorse"),
    path("endorsements/<str:public_id>/credential.json", endorsements.endorsement_ob3, name="endorsement_ob3"),
    path("endorsements/<str:public_id>/ob2.json", endorsements.endorsement_ob2, name="endorsement_ob2"),
]
