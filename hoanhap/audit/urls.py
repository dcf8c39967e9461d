from django.urls import path

from hoanhap.core.views import HomeView

app_name = "audit"
urlpatterns = [path("", HomeView.as_view(), name="event-list")]  # TEMPORARY: replaced by the audit pages
