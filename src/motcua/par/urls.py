from django.urls import path

from . import views

app_name = "par"

urlpatterns = [
    path("", views.frameworks, name="frameworks"),
    path("<str:code>/", views.framework, name="framework"),
    path("<str:code>/thao-tac/", views.run, name="run"),
    path("<str:code>/don-vi/<int:unit_id>/", views.assessment, name="assessment"),
    path("<str:code>/minh-chung/<int:pk>/", views.evidence, name="evidence"),
]
