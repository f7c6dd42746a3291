"""Script payloads in every free-text field, then every page as every kind of reader: the markup
must come out escaped, never as markup."""

import pytest
from django.apps import apps
from django.db import models

from .conftest import ROLES
from .test_access import ADDRESSES

pytestmark = pytest.mark.django_db

PAYLOAD = '"><script>alert(1)</script>'
# Fields that are identifiers, codes or machine values rather than text people write.
NOT_FREE_TEXT = {
    "code", "slug", "path", "secret", "username", "password", "email", "phone", "applicant_id", "applicant_phone",
    "applicant_email", "contact", "content_type", "id_number", "code_digest", "session_key", "hashkey", "challenge",
    "response", "key", "number", "result_number", "tracking_number", "mime", "digest", "checksum", "sha256",
    "ip_hash", "visit", "measure", "source", "unit_map", "by", "method", "kind", "level", "label_code",
}  # fmt: skip


def free_text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not field.choices
            and not field.unique
            and field.name not in NOT_FREE_TEXT
            and (field.max_length or 1000) >= 9
        ):
            yield field


def fill_every_free_text_field():
    filled = []
    for model in apps.get_models():
        if not model.__module__.startswith("motcua.") or model._meta.label == "dossiers.DossierEvent":
            continue  # events are append-only (on PostgreSQL a trigger refuses updates): written below
        values = {f.name: PAYLOAD[: f.max_length or len(PAYLOAD)] for f in free_text_fields(model)}
        if values and model.objects.update(**values):
            filled += [f"{model._meta.label}.{name}" for name in values]
    return filled


def test_every_page_escapes_what_people_wrote(client, world):
    from motcua.dossiers import services

    services.assign(world.users["leader"], world.dossier, world.users["processor"], PAYLOAD)
    filled = fill_every_free_text_field()
    assert {"dossiers.Dossier.applicant_name", "portal.Feedback.content", "units.Unit.name"} <= set(filled)
    escaped_on = set()
    for role in ROLES:
        world.client_for(client, role)
        for name, address in ADDRESSES.items():
            response = client.get(address(world))
            if "html" not in response.get("Content-Type", ""):
                continue
            page = response.content.decode()
            assert "<script>alert(1)" not in page, (role, name)
            if "&lt;script&gt;alert(1)" in page:
                escaped_on.add(name)
    # the payload reached the pages that show people's words
    assert {"dossiers:detail", "dossiers:inbox", "portal:dossier", "portal:feedback-answer", "portal:article",
            "plans:task", "par:assessment", "portal:procedure"} <= escaped_on  # fmt: skip
