"""Log in through an OpenID Connect identity provider (the national VNeID, or a provincial one).

Switched on when OIDC_RP_CLIENT_ID is set (see settings). A person is matched by the personal
identification number the provider vouches for (claim ``MOTCUA_OIDC_ID_CLAIM``), else by e-mail,
and gets a citizen account on first login.
"""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        identity = self._identity(claims)
        if identity:
            return User.objects.filter(username=f"id:{identity}")
        email = (claims.get("email") or "").lower()
        return User.objects.filter(username=email) if email else User.objects.none()

    def verify_claims(self, claims):
        return bool(self._identity(claims) or claims.get("email"))

    def create_user(self, claims):
        identity = self._identity(claims)
        email = (claims.get("email") or "").lower()
        user = User(
            username=f"id:{identity}" if identity else email,
            email=email,
            phone=claims.get("phone_number", "")[:20],
            full_name=claims.get("name", "")[:150],
        )
        user.set_unusable_password()
        user.save()
        return user

    def update_user(self, user, claims):
        name = claims.get("name", "")[:150]
        if name and name != user.full_name:
            user.full_name = name
            user.save(update_fields=["full_name"])
        return user

    @staticmethod
    def _identity(claims) -> str:
        return str(claims.get(getattr(settings, "MOTCUA_OIDC_ID_CLAIM", "citizen_id")) or "").strip()
