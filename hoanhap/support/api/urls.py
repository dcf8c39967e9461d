"""REST API of the support app."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from hoanhap.support.api import views

router = SimpleRouter()
router.register("kinds", views.KindViewSet, basename="support-kind")
router.register("sources", views.SourceViewSet, basename="support-source")
router.register("actions", views.ActionViewSet, basename="support-action")
router.register("children", views.ChildViewSet, basename="support-child")
router.register("referrals", views.ReferralViewSet, basename="support-referral")
router.register("form01-lists", views.Form01ViewSet, basename="support-form01")

urlpatterns = [
    path("form01-lists/<int:pk>/certify/", views.Form01CertifyView.as_view(), name="support-form01-certify"),
    *router.urls,
]
