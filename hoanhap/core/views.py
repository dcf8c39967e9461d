"""Project-wide pages: the home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView

from hoanhap.access.views_base import SignedInViewMixin, public_view


class HomeView(SignedInViewMixin, TemplateView):
    """The page every user lands on: their roles and areas, and where to go next."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = self.request.user.active_assignments()
        return context


@public_view
def health(request):
    """Liveness for the process manager: answers when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
