"""Optional second step at sign-in for officials: a time-based code from an authenticator app
(TOTP, RFC 6238), through django-otp. Turned on by each official, or required for all of them with
``TWO_FACTOR=required``."""

from __future__ import annotations

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .accounts import is_official
from .models import User

DEVICE_NAME = "authenticator"


def required_for(user: User) -> bool:
    return getattr(settings, "TWO_FACTOR", "optional") == "required" and is_official(user)


def has_second_step(user: User) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def waiting_for_code(request) -> bool:
    """Signed in with a password, but the code the account asks for has not been given yet."""
    user = request.user
    return user.is_authenticated and not user.is_verified() and has_second_step(user)


def waiting_for_setup(request) -> bool:
    """The province requires a second step of officials and this one has none yet."""
    user = request.user
    return user.is_authenticated and required_for(user) and not has_second_step(user)


def start(user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (replacing any earlier unconfirmed one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code for the authenticator app to scan."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="otpauth")


def confirm(request, device: TOTPDevice, token: str) -> bool:
    """The first code from the app proves it holds the key: the device becomes the account's
    second step and this session counts as verified."""
    if not device.verify_token(_clean(token)):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def verify(request, token: str) -> bool:
    """The second step at sign-in; each device throttles wrong codes with growing delays."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(_clean(token)):
            otp_login(request, device)
            return True
    return False


def turn_off(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def _clean(token: str) -> str:
    return "".join(ch for ch in (token or "") if ch.isdigit())[:8]


class SecondStepMiddleware:
    """Until the code is given (or, where required, an authenticator set up), a signed-in user
    reaches only the second-step pages, sign-out and static files; the API answers 401."""

    OPEN = ("/dang-nhap/ma-xac-thuc/", "/tai-khoan/xac-thuc-hai-buoc/", "/dang-xuat/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import JsonResponse
        from django.shortcuts import redirect
        from django.utils.http import urlencode
        from django.utils.translation import gettext as _

        path = request.path
        if path.startswith(self.OPEN) or not request.user.is_authenticated:
            return self.get_response(request)
        if waiting_for_code(request):
            target = "/dang-nhap/ma-xac-thuc/"
        elif waiting_for_setup(request):
            target = "/tai-khoan/xac-thuc-hai-buoc/"
        else:
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse({"detail": _("Give the code from your authenticator app first.")}, status=401)
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
