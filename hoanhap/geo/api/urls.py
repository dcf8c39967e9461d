from django.urls import path
from rest_framework.routers import SimpleRouter

from hoanhap.geo.api import views

router = SimpleRouter()
router.register("provinces", views.ProvinceViewSet, basename="geo-province")
router.register("communes", views.CommuneViewSet, basename="geo-commune")

urlpatterns = [
    path("resolve/", views.ResolveView.as_view(), name="geo-resolve"),
    *router.urls,
]
