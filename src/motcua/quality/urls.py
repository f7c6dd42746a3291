from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("keo-diem/", views.pulling, name="pulling"),
]
