"""Every page carries the content security policy, with nothing in the pages that needs
``unsafe-inline``: scripts and style blocks carry the request's nonce, no element has a style attribute."""

import re

import pytest

from .test_access import ADDRESSES

pytestmark = pytest.mark.django_db

TAG = re.compile(r"<(script|style)\b[^>]*>", re.I)


@pytest.mark.parametrize("role", ["anonymous", "leader", "admin"])
def test_every_page_keeps_to_the_content_security_policy(client, world, role):
    world.client_for(client, role)
    checked = 0
    for name, address in ADDRESSES.items():
        response = client.get(address(world))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, name
        assert "script-src 'self'" in policy and "default-src 'self'" in policy, name
        page = response.content.decode()
        for tag in TAG.finditer(page):
            if "src=" in tag.group(0) or "application/json" in tag.group(0):  # data, never run
                continue
            nonce = re.search(r'nonce="([^"]+)"', tag.group(0))  # the policy names it when a page uses it
            assert nonce and f"'nonce-{nonce.group(1)}'" in policy, (name, tag.group(0))
        assert not re.search(r"<[a-z][^>]*\sstyle=", page, re.I), name
        assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
        checked += 1
    assert checked >= 15
