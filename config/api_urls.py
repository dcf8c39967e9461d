"""REST API assembly: one line per app."""

from django.urls import include, path

urlpatterns = [
    path("geo/", include("hoanhap.geo.api.urls")),
    path("access/", include("hoanhap.access.api.urls")),
    path("audit/", include("hoanhap.audit.api.urls")),
    path("justice/", include("hoanhap.justice.api.urls")),
    path("intake/", include("hoanhap.intake.api.urls")),
    path("casework/", include("hoanhap.casework.api.urls")),
    path("support/", include("hoanhap.support.api.urls")),
    path("imports/", include("hoanhap.imports.api.urls")),
    path("", include("hoanhap.jobs.api.urls")),
    path("people/", include("hoanhap.people.api.urls")),
]
