from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from api import views as api_views
from frameworks import views as framework_views
from wallets import accounts as wallet_accounts

from . import health, views
from .observability import metrics

admin.site.site_header = _("Laurel staff console")
admin.site.site_title = _("Laurel")
admin.site.index_title = _("Credentials and framework")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),  # Prometheus; METRICS_TOKEN or METRICS_ALLOWED_IPS only
    path("bench/noop", views.bench_noop, name="bench_noop"),  # 404 unless BENCHMARK_VIEWS
    path("framework/", include("frameworks.urls")),
    path("framework.json", framework_views.framework_json, name="framework_json"),
    path("", include("credentials.urls")),
    path("", include("exchange.urls")),
    path("", include("applications.urls")),  # apply, the learner's applications and goals, the nominee's link
    path("", include("wallets.urls")),
    path("events/", include("events.urls")),
    path("staff/analytics/", include("analytics.urls")),  # before the console's own /staff/<programme>/ pages
    path("staff/", include("webhooks.urls")),  # a programme's Webhooks pages, before the console's own
    path("staff/", include("communities.staff_urls")),  # a programme's Communities pages
    path("staff/", include("applications.staff_urls")),  # a programme's Applications pages
    path("communities/", include("communities.urls")),  # public community pages, the learner's memberships
    path("staff/", include("organisations.staff_urls")),  # a programme's Organisations pages
    path("organisations/", include("organisations.urls")),  # organisation pages, admins' pages, the learner's
    path("staff/", include("staff.urls")),
    path("a/", include("analytics.tracking_urls")),
    path("survey/", include("surveys.urls")),
    # allauth's sign-up, one sign-up per address at a time (wallets/accounts.py); the rest is allauth's own.
    path("accounts/signup/", wallet_accounts.signup, name="account_signup"),
    # allauth's confirmation, also signing a new learner in from another browser (wallets/accounts.py)
    re_path(r"^accounts/confirm-email/(?P<key>[-:\w]+)/$", wallet_accounts.confirm_email, name="account_confirm_email"),
    path("accounts/", include("allauth.urls")),
    path("i18n/language/<str:code>/", views.language, name="language"),  # the header's links (no CSRF token)
    path("i18n/", include("django.conf.urls.i18n")),  # set_language (POST), kept for forms elsewhere
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("staff/", include("programmes.urls")),  # a programme's Team pages, staff invitations
    path("api/docs/", api_views.Docs.as_view(), name="api_docs"),
    path("api/v1/", include("api.urls")),
    path("ims/ob/v3p0/", include("obapi.urls")),  # the 1EdTech Open Badges 3.0 API
    path("admin/", admin.site.urls),
]
handler429 = "config.throttle.handler429"  # allauth's rate limits answer with this page too
handler404 = "config.errors.page_not_found"
handler403 = "config.errors.permission_denied"
handler500 = "config.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
