"""Scans attached to a dossier's documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services
from motcua.dossiers.rules import (
    InvalidInput,
)


def test_upload_is_checked_by_content(accepted, people):
    pdf = SimpleUploadedFile("so-do.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    stored = services.attach_file(people.desk, accepted, 1, pdf)
    assert stored.content_type == "application/pdf" and stored.size == 12
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput, match="PDF"):
        services.attach_file(people.desk, accepted, 1, fake)
