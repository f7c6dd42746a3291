from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.settlement, name="settlement"),
    path("ho-so/", views.cell, name="cell"),
]
