"""Project URLs: one include per app for pages, and /api/v1/ for the REST API."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from hoanhap.access.views_base import public_view

schema_view = public_view(SpectacularAPIView.as_view())
docs_view = public_view(SpectacularSwaggerView.as_view(url_name="schema"))

urlpatterns = [
    path("", include("hoanhap.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("geo/", include("hoanhap.geo.urls")),
    path("access/", include("hoanhap.access.urls")),
    path("audit/", include("hoanhap.audit.urls")),
    path("jobs/", include("hoanhap.jobs.urls")),
    path("people/", include("hoanhap.people.urls")),
    path("justice/", include("hoanhap.justice.urls")),
    path("intake/", include("hoanhap.intake.urls")),
    path("casework/", include("hoanhap.casework.urls")),
    path("support/", include("hoanhap.support.urls")),
    path("imports/", include("hoanhap.imports.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/v1/schema/", schema_view, name="schema"),
    path("api/v1/docs/", docs_view, name="api-docs"),
]
