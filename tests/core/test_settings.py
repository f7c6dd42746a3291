import json
import os
import subprocess
import sys


def production_settings(**env) -> dict:
    code = (
        "import json; from motcua import settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT')}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def test_behind_https_cookies_are_secure_and_hsts_is_on():
    assert production_settings(HTTPS="1") == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
    }
    assert production_settings(HTTPS="0")["SESSION_COOKIE_SECURE"] is False
