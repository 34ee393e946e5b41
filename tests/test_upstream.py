"""Upgrade guard: the private Wagtail/modelsearch APIs we touch still exist as we use them.

If this fails after an upgrade, read the named upstream code, adapt its callers (listed in
``core.upstream``), then raise ``VERIFIED_WITH``.
"""

import inspect
from importlib.metadata import version

from wagtail import blocks
from wagtail.search.models import IndexEntry

import pytest

from core import upstream


@pytest.mark.parametrize("api", upstream.PRIVATE_APIS, ids=lambda api: f"{api.owner}.{api.name}")
def test_private_api_is_still_there_with_the_same_parameters(api):
    owner = api.resolve()
    member = getattr(owner, api.name, None)
    assert member is not None, f"{api.owner}.{api.name} is gone; it was used by {api.used_by}"
    parameters = tuple(inspect.signature(member).parameters)
    assert parameters == api.parameters, (
        f"{api.owner}.{api.name} now takes {parameters}, not {api.parameters}; check {api.used_by}"
    )


@pytest.mark.parametrize(("package", "verified"), upstream.VERIFIED_WITH.items())
def test_installed_release_is_the_one_the_adapters_were_verified_with(package, verified):
    installed = ".".join(version(package).split(".")[:2])
    assert installed == verified, (
        f"{package} {installed} is installed; core/upstream.py was verified with {verified}. "
        "Re-read the private APIs it lists, then update VERIFIED_WITH."
    )


def test_index_entry_keeps_the_indexed_text_as_text():
    field = IndexEntry._meta.get_field(upstream.index_entry_text_field())
    assert field.get_internal_type() == "TextField"


def test_list_item_format_check_tells_new_from_old_items():
    list_block = blocks.ListBlock(blocks.CharBlock())
    assert upstream.list_item_is_in_block_format(list_block, {"type": "item", "value": "Frage", "id": "1"})
    assert not upstream.list_item_is_in_block_format(list_block, "Frage")
