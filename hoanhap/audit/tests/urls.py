"""A test-only URLconf: one page and one API endpoint that write an audited record.

The project's own pages come along (the middleware reverses ``access:`` URLs). These views are
declared like real ones, though the project's system check never sees this URLconf.
"""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST
from rest_framework.response import Response
from rest_framework.views import APIView

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedAPIMixin, requires_capability
from hoanhap.core.testing import AN_GIANG, THOAI_SON


def _create(name: str) -> Organisation:
    return Organisation.objects.create(
        name=name, kind=Organisation.Kind.OTHER, province_id=AN_GIANG, commune_id=THOAI_SON
    )


@require_POST
@requires_capability(Cap.MANAGE_ORGANISATIONS)
def create_organisation(request):
    org = _create(request.POST["name"])
    return HttpResponse(str(org.pk), status=201)


class CreateOrganisationAPI(ScopedAPIMixin, APIView):
    access_capability = Cap.MANAGE_ORGANISATIONS

    def post(self, request):
        org = _create(request.data["name"])
        return Response({"id": org.pk}, status=201)


urlpatterns = [
    path("test-audit/organisations/", create_organisation),
    path("api/v1/test-audit/organisations/", CreateOrganisationAPI.as_view()),
    path("", include("config.urls")),
]
