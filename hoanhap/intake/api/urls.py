from rest_framework.routers import SimpleRouter

from hoanhap.intake.api import views

router = SimpleRouter()
router.register("notices", views.NoticeViewSet, basename="intake-notice")
router.register("facility-notices", views.FacilityNoticeViewSet, basename="intake-facility-notice")
router.register("receptions", views.ReceptionViewSet, basename="intake-reception")
router.register("classifications", views.ClassificationViewSet, basename="intake-classification")
router.register("transfers", views.TransferViewSet, basename="intake-transfer")
router.register("management-ends", views.ManagementEndViewSet, basename="intake-management-end")
router.register("events", views.ManagementEventViewSet, basename="intake-event")
urlpatterns = router.urls
