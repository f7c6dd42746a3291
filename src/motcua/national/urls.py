from django.urls import path

from . import views

app_name = "national"
urlpatterns = [path("dong-bo/", views.receive, name="receive")]
