"""REST API of the imports app: /api/v1/imports/."""

from rest_framework.routers import SimpleRouter

from hoanhap.imports.api import views

router = SimpleRouter()
router.register("batches", views.BatchViewSet, basename="imports-batch")
router.register("rows", views.RowViewSet, basename="imports-row")
router.register("exports", views.ExportViewSet, basename="imports-export")

urlpatterns = router.urls
