"""Checks on uploaded scans: size, and type read from the content rather than the name."""

from motcua.core.errors import InvalidInput
from motcua.core.messages import Message as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Leading bytes of the formats a desk scans to or a citizen uploads.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
}


def sniff(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def check_upload(upload) -> str:
    """The upload's real content type; refuses empty, oversized and unknown files."""
    if upload.size == 0:
        raise InvalidInput(_("The file %(name)s is empty.") % {"name": upload.name})
    if upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("The file %(name)s is larger than %(limit)s MB.") % {"name": upload.name, "limit": MAX_UPLOAD_BYTES >> 20}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise InvalidInput(_("The file %(name)s is not a PDF, JPEG, PNG or TIFF scan.") % {"name": upload.name})
    return kind
