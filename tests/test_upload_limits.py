"""Public pages take small posts and no files: a 20 MB file to a form is refused cleanly."""

from django.test import Client
from django.test.client import encode_multipart

import pytest

from forms.models import FormPage, FormSubmission
from tests.test_forms import valid_data

client = Client(raise_request_exception=False)


@pytest.fixture
def contact(vsop_content):
    return FormPage.objects.get(title="Kontakt", locale__language_code="de")


def multipart(data, file_size):
    payload = dict(data)
    body = encode_multipart("BoUnDaRy", payload)
    file_part = (
        b"--BoUnDaRy\r\n"
        b'Content-Disposition: form-data; name="anhang"; filename="big.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + b"x" * file_size + b"\r\n"
    )
    body = body.replace(b"--BoUnDaRy--\r\n", file_part + b"--BoUnDaRy--\r\n")
    return body, "multipart/form-data; boundary=BoUnDaRy"


def test_a_20_mb_file_to_a_form_is_refused_with_413(contact):
    body, content_type = multipart(valid_data(contact), 20 * 1024 * 1024)
    response = client.generic("POST", contact.url, body, content_type=content_type, REMOTE_ADDR="192.0.2.50")
    assert response.status_code == 413
    assert "zu groß" in response.content.decode()
    assert not FormSubmission.objects.exists()


def test_a_small_file_to_a_form_without_file_fields_is_refused_with_400(contact):
    body, content_type = multipart(valid_data(contact), 10 * 1024)
    response = client.generic("POST", contact.url, body, content_type=content_type, REMOTE_ADDR="192.0.2.51")
    assert response.status_code == 400
    assert "keine Dateien annimmt" in response.content.decode()
    assert not FormSubmission.objects.exists()


def test_a_large_text_post_is_refused(contact, settings):
    settings.PUBLIC_MAX_REQUEST_SIZE = 64 * 1024
    data = valid_data(contact)
    data[next(name for name in data if name != "privacy_consent")] = "x" * 100_000
    response = client.post(contact.url, data, REMOTE_ADDR="192.0.2.52")
    assert response.status_code == 413


def test_the_same_form_without_a_file_is_accepted(contact):
    # The test client posts multipart/form-data, as browsers do.
    response = client.post(contact.url, valid_data(contact), follow=True, REMOTE_ADDR="192.0.2.53")
    assert response.status_code == 200
    assert FormSubmission.objects.filter(page=contact).count() == 1


def test_the_admin_still_takes_uploads(contact, admin_client, settings):
    """Editors upload documents and images: the public limit does not apply to /admin/."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PUBLIC_MAX_REQUEST_SIZE = 1024
    upload = SimpleUploadedFile("programm.pdf", b"%PDF-1.4\n" + b"0" * 20_000, content_type="application/pdf")
    response = admin_client.post(
        "/admin/documents/multiple/add/", {"files[]": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 200
    assert response.json()["success"] is True


def test_upload_settings():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.PUBLIC_MAX_REQUEST_SIZE == 1024 * 1024
