"""The searchable texts of a StreamField, read from its stored data without a query.

Iterating a ``StreamValue`` converts every block, and chooser blocks (pages, documents,
images) fetch their objects: a query per page body with links. A search result excerpt
needs only the texts, so ``stream_texts`` walks the stored (raw) data with the block
definitions and skips choosers: one text per text-bearing part (a paragraph, a heading,
a quote, each question of a list), as ``get_searchable_content`` gives them.
"""

from wagtail import blocks


def stream_texts(value):
    """Each searchable text of a ``StreamValue`` (rich text still as HTML)."""
    stream_block = value.stream_block
    for item in value.raw_data:
        child = stream_block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
        if child is not None:
            yield from _texts(child, item.get("value"))


def _texts(block, raw):
    if raw is None or isinstance(block, blocks.ChooserBlock):
        return
    if isinstance(block, blocks.StructBlock):
        if isinstance(raw, dict):
            for name, child in block.child_blocks.items():
                yield from _texts(child, raw.get(name))
        return
    if isinstance(block, blocks.ListBlock):
        for entry in raw if isinstance(raw, list) else []:
            yield from _texts(
                block.child_block, entry.get("value") if isinstance(entry, dict) and "type" in entry else entry
            )
        return
    if isinstance(block, blocks.StreamBlock):
        for entry in raw if isinstance(raw, list) else []:
            child = block.child_blocks.get(entry.get("type")) if isinstance(entry, dict) else None
            if child is not None:
                yield from _texts(child, entry.get("value"))
        return
    try:
        pieces = block.get_searchable_content(block.to_python(raw))
    except Exception:  # a block whose stored data does not convert gives no text, never an error page
        return
    for piece in pieces:
        yield str(piece)
