from rest_framework.routers import SimpleRouter

from hoanhap.people.api import views

router = SimpleRouter()
router.register("persons", views.PersonViewSet, basename="people-person")
urlpatterns = router.urls
