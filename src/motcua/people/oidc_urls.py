"""The OpenID Connect login and callback, answering 404 until a provider is configured."""

from django.conf import settings
from django.http import Http404
from django.urls import path


def configured() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def _when_configured(view_name: str):
    def view(request, *args, **kwargs):
        if not configured():
            raise Http404
        from mozilla_django_oidc import views

        return getattr(views, view_name).as_view()(request, *args, **kwargs)

    return view


def oidc_urls():
    return [
        path("dang-nhap/", _when_configured("OIDCAuthenticationRequestView"), name="oidc_authentication_init"),
        path("callback/", _when_configured("OIDCAuthenticationCallbackView"), name="oidc_authentication_callback"),
    ]
