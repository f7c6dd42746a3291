import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import InvalidInput
from motcua.core.uploads import MAX_UPLOAD_BYTES, check_upload


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"II*\x00", "image/tiff"),
        (b"MM\x00*", "image/tiff"),
    ],
)
def test_the_type_is_read_from_the_content(head, kind):
    upload = SimpleUploadedFile("scan.bin", head + b"...", content_type="text/plain")
    assert check_upload(upload) == kind
    assert upload.read() == head + b"..."  # read again from the start


def test_empty_oversized_and_unknown_files_are_refused():
    with pytest.raises(InvalidInput, match=r"empty\.pdf"):
        check_upload(SimpleUploadedFile("empty.pdf", b""))
    big = SimpleUploadedFile("big.pdf", b"%PDF-")
    big.size = MAX_UPLOAD_BYTES + 1
    with pytest.raises(InvalidInput, match="20 MB"):
        check_upload(big)
    with pytest.raises(InvalidInput, match="PDF, JPEG, PNG"):
        check_upload(SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"))
