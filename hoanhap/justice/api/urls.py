from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from hoanhap.justice.api import record_views, views

router = SimpleRouter()
router.register("judgments", record_views.JudgmentViewSet, basename="justice-judgment")
router.register("releases", record_views.ReleaseViewSet, basename="justice-release")
router.register("offences", record_views.OffenceViewSet, basename="justice-offence")

urlpatterns = [
    path("rules/expungement/", views.ExpungementRuleAPI.as_view(), name="justice-rules-expungement"),
    path("rules/recidivism/", views.RecidivismRuleAPI.as_view(), name="justice-rules-recidivism"),
    path(
        "rules/conditional-release/",
        views.ConditionalReleaseRuleAPI.as_view(),
        name="justice-rules-conditional-release",
    ),
    re_path(
        r"^people/(?P<record_code>\d{2,3}-\d{1,9})/expungement/$",
        record_views.PersonExpungementAPI.as_view(),
        name="justice-person-expungement",
    ),
    *router.urls,
]
