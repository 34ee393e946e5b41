"""The image block is Wagtail's own ImageBlock (alt text or "decorative") with a caption."""

from django.core.exceptions import ValidationError

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

from core.blocks import BaseStreamBlock
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return Image.objects.create(title="Sozialplanungskonferenz", file=get_test_image_file())


def test_alt_text_reaches_the_page(client, home_page, image):
    page = StandardPageFactory(
        parent=home_page,
        body=[
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "alt_text": "Podium der Fachtagung", "decorative": False},
                    "caption": "2021",
                },
            }
        ],
    )
    html = client.get(page.url).content.decode()
    assert 'alt="Podium der Fachtagung"' in html
    assert "<figcaption>2021</figcaption>" in html


def test_decorative_image_gets_an_empty_alt(client, home_page, image):
    page = StandardPageFactory(
        parent=home_page,
        body=[{"type": "image", "value": {"image": {"image": image.pk, "alt_text": "", "decorative": True}}}],
    )
    html = client.get(page.url).content.decode()
    assert 'alt=""' in html


def test_an_image_needs_alt_text_or_the_decorative_mark(image):
    block = BaseStreamBlock()
    value = block.to_python([{"type": "image", "value": {"image": {"image": image.pk, "alt_text": ""}}}])
    with pytest.raises(ValidationError):
        block.clean(value)
