from django.contrib import admin
from django.urls import include, path

from motcua.api.api import api
from motcua.dossiers.views import lookup_view

urlpatterns = [
    path("", include("motcua.web.urls")),
    path("ho-so/", include("motcua.dossiers.urls")),
    path("bao-cao/", include("motcua.reports.urls")),
    path("chi-so/", include("motcua.quality.urls")),
    path("tra-cuu/", lookup_view, name="lookup"),
    path("api/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
