from django.urls import path

from hoanhap.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("export/", views.EventExportView.as_view(), name="event-export"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
]
