from django.urls import path

from hoanhap.justice import views

app_name = "justice"
urlpatterns = [
    path("calculator/", views.CalculatorView.as_view(), name="calculator"),
]
