from django.contrib import admin
from django.urls import include, path

from motcua.api.api import api

urlpatterns = [
    path("", include("motcua.web.urls")),
    path("api/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
