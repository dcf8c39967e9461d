"""REST API of the casework app (/api/v1/casework/)."""

from rest_framework.routers import SimpleRouter

from hoanhap.casework.api import views

router = SimpleRouter()
router.register("assignments", views.AssignmentViewSet, basename="casework-assignment")
router.register("needs", views.NeedViewSet, basename="casework-need")
router.register("plan-actions", views.PlanActionViewSet, basename="casework-plan-action")
router.register("contacts", views.ContactViewSet, basename="casework-contact")
router.register("police-notes", views.PoliceNoteViewSet, basename="casework-police-note")
router.register("reviews", views.ReviewViewSet, basename="casework-review")
urlpatterns = router.urls
