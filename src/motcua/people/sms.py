"""Text messages through a pluggable gateway: ``MOTCUA_SMS_BACKEND`` names a class with a
``send(phone, text)`` method. Each province contracts its own SMS brand-name provider; the
default writes the message to the log, and tests read ``outbox``."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("motcua.sms")
outbox: list[tuple[str, str]] = []


class LogBackend:
    def send(self, phone: str, text: str) -> None:
        logger.warning("SMS to %s: %s", phone, text)


class MemoryBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    backend = getattr(settings, "MOTCUA_SMS_BACKEND", "motcua.people.sms.LogBackend")
    import_string(backend)().send(phone, text)
