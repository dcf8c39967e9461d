"""Geography pages: /geo/ (address look-up and provinces), /geo/provinces/<code>/, /geo/communes/<code>/."""

from django.urls import path

from hoanhap.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.LookupView.as_view(), name="lookup"),
    path("provinces/<int:pk>/", views.ProvinceDetailView.as_view(), name="province"),
    path("communes/<int:pk>/", views.CommuneDetailView.as_view(), name="commune"),
    path("commune-options/", views.CommuneOptionsView.as_view(), name="commune-options"),
]
