"""Media on S3-compatible storage (MEDIA_STORAGE=s3) against moto's server on 127.0.0.1, never a real cloud."""

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "vsop-media"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_S3_REGION_NAME": "eu-central-1",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="eu-central-1",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    yield endpoint, client
    server.stop()


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_production_settings_put_media_in_the_bucket(s3_endpoint):
    endpoint, client = s3_endpoint
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    environment.update(
        CREDENTIALS,
        DJANGO_SETTINGS_MODULE="vsop_cms.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="www.vsop.de",
        CACHE_URL="redis://127.0.0.1:9/0",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
    )
    script = (
        "from django.conf import settings\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "name = default_storage.save('original_images/probe.txt', ContentFile(b'vsop'))\n"
        "print(name)\n"
        "print(default_storage.url(name))\n"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])\n"
    )
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    name, url, img_src = result.stdout.strip().splitlines()[-3:]
    assert "media/original_images/probe.txt" in keys(client)
    assert client.get_object(Bucket=BUCKET, Key="media/" + name)["Body"].read() == b"vsop"
    assert url == f"{endpoint}/{BUCKET}/media/original_images/probe.txt"  # stable, unsigned address
    assert endpoint in img_src  # the page's CSP lets the images load


@pytest.mark.django_db
def test_wagtail_images_and_renditions_live_in_the_bucket(s3_endpoint, settings):
    endpoint, client = s3_endpoint
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "eu-central-1",
                "access_key": "testing",
                "secret_key": "testing",
                "location": "media",
                "querystring_auth": False,
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), (0, 90, 140)).save(buffer, "PNG")
    image = get_image_model().objects.create(title="Logo", file=ImageFile(buffer, name="logo.png"))
    rendition = image.get_rendition("fill-120x90")
    stored = keys(client)
    assert f"media/{image.file.name}" in stored
    assert f"media/{rendition.file.name}" in stored
    assert rendition.url.startswith(f"{endpoint}/{BUCKET}/media/images/")
    assert (rendition.width, rendition.height) == (120, 90)
