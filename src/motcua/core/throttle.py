"""Attempt limits per client address, kept in the cache: a lookup that keeps missing, a burst of
sign-ups or feedback from one address is refused for a while. The address is hashed with the
site's key, so the cache holds no address."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Throttle:
    name: str
    limit: int  # attempts allowed per window
    window: int  # seconds

    def blocked(self, request) -> bool:
        return (cache.get(self._key(request)) or 0) >= self.limit

    def hit(self, request) -> int:
        """Count one attempt; returns the attempts in the current window."""
        key = self._key(request)
        if cache.add(key, 1, self.window):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, self.window)
            return 1

    def _key(self, request) -> str:
        address = request.META.get("REMOTE_ADDR", "")
        digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]
        return f"throttle:{self.name}:{digest}"


LOOKUP_MISSES = Throttle("lookup", limit=10, window=15 * 60)
SIGN_UPS = Throttle("signup", limit=5, window=60 * 60)
RESETS = Throttle("reset", limit=5, window=60 * 60)
FEEDBACK = Throttle("feedback", limit=5, window=60 * 60)
