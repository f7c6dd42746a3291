"""Settings for motcua.

Everything that differs between machines comes from the environment:
DATABASE_URL (default: SQLite under var/), SECRET_KEY, DEBUG, ALLOWED_HOSTS, MOTCUA_* below.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# A development key is generated per checkout; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key())
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "ninja",
    "captcha",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "motcua.core",
    "motcua.units",
    "motcua.people",
    "motcua.catalog",
    "motcua.workdays",
    "motcua.dossiers",
    "motcua.reports",
    "motcua.quality",
    "motcua.par",
    "motcua.plans",
    "motcua.sync",
    "motcua.notifications",
    "motcua.national",
    "motcua.portal",
    "motcua.web",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "motcua.core.replicas.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.people.two_factor.SecondStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "motcua.portal.visitors.VisitorMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.portal.visitors.counters",
            ],
        },
    },
]

# Database: SQLite under var/ by default; PostgreSQL in production (DATABASE_URL=postgres://…).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,  # a kept connection that died with a database restart is replaced
    )
}
# A streaming read replica (PostgreSQL) for lookups, reports and dashboards: see core/replicas.py.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    MOTCUA_REPLICA_DB = "replica"
DATABASE_ROUTERS = ["motcua.core.replicas.ReplicaRouter"]
MOTCUA_PRIMARY_AFTER_WRITE = int(os.environ.get("PRIMARY_AFTER_WRITE", "10"))  # seconds
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not the shared in-memory database: threads in tests (live server, concurrent intake)
    # then get SQLite's real locking (wait for the writer) instead of "table is locked" errors.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Log in through an OpenID Connect provider (VNeID or a provincial identity service) when configured.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
if OIDC_RP_CLIENT_ID:
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    AUTHENTICATION_BACKENDS.append("motcua.people.oidc.CitizenOIDCBackend")
# The claim carrying the personal identification number (số định danh cá nhân).
MOTCUA_OIDC_ID_CLAIM = os.environ.get("OIDC_ID_CLAIM", "citizen_id")
MOTCUA_SMS_BACKEND = os.environ.get("SMS_BACKEND", "motcua.people.sms.LogBackend")

LOGIN_URL = "login"
# A second step at sign-in (authenticator app codes): "optional" lets each official turn it on,
# "required" sends every official without one to set it up.
TWO_FACTOR = os.environ.get("TWO_FACTOR", "optional")
OTP_TOTP_ISSUER = "motcua"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 failures for the same username from the same address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS in production set HTTPS=1 (the plain-HTTP local demo needs it off): secure cookies,
# HSTS for a year, redirects to HTTPS, and the proxy's X-Forwarded-Proto trusted for it.
HTTPS = env_bool("HTTPS", env_bool("SECURE_COOKIES", False))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Internationalisation: Vietnamese by default, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["motcua.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True

# Throttling counters live in the cache. A file cache is shared by the worker processes of one
# machine and needs no server; several machines set CACHE_URL to a shared cache's location.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"),
        "LOCATION": os.environ.get("CACHE_URL", str(VAR_DIR / "cache")),
    }
}

# Captcha images are drawn here (Pillow), with no outside service.
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 34
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 15  # minutes
CAPTCHA_CHALLENGE_FUNCT = "motcua.portal.forms.captcha_challenge"

# Synchronisation with the national public service portal: off unless SYNC_URL is set.
MOTCUA_SYNC = (
    {
        "BACKEND": "motcua.sync.adapters.HttpAdapter",
        "URL": os.environ["SYNC_URL"],
        "TOKEN": os.environ.get("SYNC_TOKEN", ""),
    }
    if os.environ.get("SYNC_URL")
    else {}
)
# A national layer receives the province instances' synchronisation: "code:token" pairs, comma-separated.
NATIONAL_TOKENS = [pair.strip() for pair in os.environ.get("NATIONAL_TOKENS", "").split(",") if pair.strip()]
# The portal's address as citizens reach it (links in synchronised results).
MOTCUA_PUBLIC_URL = os.environ.get("PUBLIC_URL", "")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Mail (the leaders' daily digest): an SMTP server in production (MAIL_BACKEND=smtp and MAIL_HOST
# and its fellows), the console otherwise.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend"
        if os.environ.get("MAIL_BACKEND") == "smtp"
        else "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("MAIL_HOST", "localhost"),
            "port": int(os.environ.get("MAIL_PORT", "25")),
            "username": os.environ.get("MAIL_USER", ""),
            "password": os.environ.get("MAIL_PASSWORD", ""),
            "use_tls": env_bool("MAIL_USE_TLS", False),
        }
        if os.environ.get("MAIL_BACKEND") == "smtp"
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua@localhost")

# Office hours of one-stop desks (Vietnam time). Each pair is one session, [open, close).
MOTCUA_OFFICE_HOURS = [("07:30", "11:30"), ("13:30", "17:30")]
# "In the day" procedures received after this time are due the next working day.
MOTCUA_SAME_DAY_CUTOFF = "15:00"
# After a supplement: "restart" the processing time from zero (Decree 61 Art. 19.4) or "pause" it.
MOTCUA_SUPPLEMENT_CLOCK = os.environ.get("MOTCUA_SUPPLEMENT_CLOCK", "restart")
# A digital signer for the leader's decision (dotted path to a callable, see dossiers/signing.py);
# none by default: the decision is recorded as the leader's approval, unsigned.
MOTCUA_DECISION_SIGNER = os.environ.get("MOTCUA_DECISION_SIGNER") or None
# Uploaded scans and results live here, outside the static root; only views that check access serve them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
