from django.urls import path
from rest_framework.routers import SimpleRouter

from hoanhap.access.api import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="access-organisation")
router.register("users", views.UserViewSet, basename="access-user")

urlpatterns = [path("me/", views.MeView.as_view(), name="access-me"), *router.urls]
