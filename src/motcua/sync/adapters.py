"""The remote end. ``MOTCUA_SYNC["BACKEND"]`` names a class with ``send(payload)``; it raises
``Transient`` for what may work later (the network, a 5xx, a timeout) and ``Rejected`` for what
will not (the portal refused the data)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


class Transient(Exception):
    pass


class Rejected(Exception):
    pass


class HttpAdapter:
    """POST the dossier as JSON to the exchange's endpoint with the province's token."""

    def __init__(self, url: str, token: str = "", timeout: float = 10.0):
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, payload: dict) -> None:
        import requests

        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = requests.post(self.url, json=payload, headers=headers, timeout=self.timeout)
        except requests.RequestException as error:
            raise Transient(str(error)) from error
        if response.status_code >= 500 or response.status_code == 429:
            raise Transient(f"{response.status_code} {response.text[:200]}")
        if response.status_code >= 400:
            raise Rejected(f"{response.status_code} {response.text[:500]}")


def adapter():
    """The configured adapter, or None when synchronisation is off."""
    config = getattr(settings, "MOTCUA_SYNC", {}) or {}
    backend = config.get("BACKEND")
    if not backend:
        return None
    options = {k.lower(): v for k, v in config.items() if k != "BACKEND"}
    return import_string(backend)(**options)
