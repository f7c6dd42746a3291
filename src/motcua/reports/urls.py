from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.settlement, name="settlement"),
    path("ky-chot/", views.sign, name="sign"),
    path("da-ky/<int:pk>/", views.signed_copy, name="signed"),
    path("ho-so/", views.cell, name="cell"),
]
