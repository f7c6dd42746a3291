from django.urls import path

from . import desk, views

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tiep-nhan/", desk.intake, name="intake"),
    path("so-theo-doi/", views.register_view, name="register"),
    path("tim-kiem/", views.search_view, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/thao-tac/<str:action>/", views.act, name="act"),
    path("<int:pk>/mau/<str:form>.pdf", views.document, name="document"),
    path("<int:pk>/tep/<int:file_id>/", views.download, name="file"),
]
