from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from motcua.api.api import api
from motcua.par import views as par_views
from motcua.people.oidc_urls import oidc_urls
from motcua.portal.lookup import lookup
from motcua.portal.views import home

handler500 = "motcua.core.errors.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("", include("motcua.web.urls")),
    path("", include("motcua.portal.urls")),
    path("ho-so/", include("motcua.dossiers.urls")),
    path("bao-cao/", include("motcua.reports.urls")),
    path("chi-so/", include("motcua.quality.urls")),
    path("chi-so-cchc/", include("motcua.par.urls")),
    path("cai-cach/", include("motcua.plans.urls")),
    path("ket-qua/cchc/", par_views.public_list, name="par-public-list"),
    path("ket-qua/cchc/<str:code>/", par_views.public_results, name="par-public"),
    path("tra-cuu/", lookup, name="lookup"),
    path("captcha/", include("captcha.urls")),
    path("oidc/", include(oidc_urls())),
    path("api/", api.urls),
    path("quoc-gia/", include("motcua.national.urls")),
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # News images are public; every other upload is served only by views that check access.
    path("media/news/<path:path>", serve, {"document_root": settings.MEDIA_ROOT / "news"}),
]
