from rest_framework.routers import SimpleRouter

from hoanhap.audit.api.views import AuditEventViewSet

router = SimpleRouter()
router.register("events", AuditEventViewSet, basename="audit-event")
urlpatterns = router.urls
