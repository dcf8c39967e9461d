from django.urls import path

from hoanhap.core.views import HomeView

app_name = "geo"
urlpatterns = [path("", HomeView.as_view(), name="lookup")]  # TEMPORARY: replaced by the geo pages
