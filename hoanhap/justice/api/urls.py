from django.urls import path
from rest_framework.routers import SimpleRouter

from hoanhap.justice.api import views

router = SimpleRouter()
urlpatterns = [
    path("rules/expungement/", views.ExpungementRuleAPI.as_view(), name="justice-rules-expungement"),
    path("rules/recidivism/", views.RecidivismRuleAPI.as_view(), name="justice-rules-recidivism"),
    path(
        "rules/conditional-release/",
        views.ConditionalReleaseRuleAPI.as_view(),
        name="justice-rules-conditional-release",
    ),
    *router.urls,
]
