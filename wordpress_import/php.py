"""A safe reader of PHP's ``serialize()`` format, for the metadata of a WordPress export.

Contact Form 7 keeps its mail settings (``_mail``, ``_mail_2``) and messages
(``_messages``) as serialized PHP arrays. This module only *reads* data: it builds
Python ``None``/``bool``/``int``/``float``/``str``/``dict`` values and refuses every
construct that could make PHP run code on unserializing (objects ``O:``, custom
serialized objects ``C:``, enums ``E:``) and references (``r:``/``R:``), with an
error naming the problem and its byte offset.

``s:N:"…"`` counts bytes of UTF-8, not characters. XML parsers turn the ``\\r\\n`` of
a mail body into ``\\n`` when the export is read, which leaves such counts too large by
one per line break; the reader then counts each bare ``\\n`` as the ``\\r\\n`` it was and
restores the original line breaks as ``\\n``.
"""

from __future__ import annotations

import re

from .interfaces import PHPUnserializeError

MAX_DEPTH = 64

_INT = re.compile(rb"-?[0-9]+")
_FLOAT = re.compile(rb"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|-?INF|NAN")

_REFUSED = {
    ord("O"): "a PHP object (O:)",
    ord("C"): "a custom-serialized PHP object (C:)",
    ord("E"): "a PHP enum (E:)",
    ord("r"): "a PHP object reference (r:)",
    ord("R"): "a PHP reference (R:)",
}


def unserialize_php(data: bytes | str):
    """Returns the value serialized in ``data``; raises :class:`PHPUnserializeError` otherwise.

    Arrays become ``dict`` (keys ``int`` or ``str``, in their order); use :func:`as_list`
    for arrays that are lists. Strings are decoded as UTF-8 (invalid bytes become U+FFFD).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, bytes):
        raise PHPUnserializeError(f"Expected serialized PHP data as text, got {type(data).__name__}.")
    reader = _Reader(data.strip())
    if not reader.data:
        raise PHPUnserializeError("The serialized PHP data is empty.")
    value = reader.value(0)
    if reader.pos != len(reader.data):
        raise PHPUnserializeError(f"Unexpected data after the value at byte {reader.pos}.")
    return value


def as_list(value):
    """A PHP array with keys 0…n-1 as a list; other values unchanged."""
    if isinstance(value, dict) and list(value) == list(range(len(value))):
        return list(value.values())
    return value


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def fail(self, message, pos=None):
        raise PHPUnserializeError(f"{message} at byte {self.pos if pos is None else pos}.")

    def expect(self, token: bytes):
        if self.data[self.pos : self.pos + len(token)] != token:
            found = self.data[self.pos : self.pos + 10].decode("utf-8", "replace") or "the end of the data"
            self.fail(f"Expected {token.decode()!r} but found {found!r}")
        self.pos += len(token)

    def match(self, pattern, what):
        found = pattern.match(self.data, self.pos)
        if not found:
            self.fail(f"Expected {what}")
        self.pos = found.end()
        return found.group().decode("ascii")

    def value(self, depth):
        if depth > MAX_DEPTH:
            self.fail(f"The data is nested deeper than {MAX_DEPTH} levels")
        if self.pos >= len(self.data):
            self.fail("Unexpected end of the data")
        kind = self.data[self.pos]
        if kind in _REFUSED:
            self.fail(f"Refused {_REFUSED[kind]}: only plain values and arrays are read")
        start = self.pos
        if kind == ord("N"):
            self.expect(b"N;")
            return None
        if kind == ord("b"):
            self.expect(b"b:")
            flag = self.match(_INT, "0 or 1")
            if flag not in ("0", "1"):
                self.fail("A boolean must be 0 or 1", start)
            self.expect(b";")
            return flag == "1"
        if kind == ord("i"):
            self.expect(b"i:")
            number = int(self.match(_INT, "an integer"))
            self.expect(b";")
            return number
        if kind == ord("d"):
            self.expect(b"d:")
            number = float(self.match(_FLOAT, "a number").replace("INF", "inf").replace("NAN", "nan"))
            self.expect(b";")
            return number
        if kind == ord("s"):
            return self.string()
        if kind == ord("a"):
            return self.array(depth)
        self.fail(f"Unknown type {chr(kind)!r}")

    def string(self):
        start = self.pos
        self.expect(b"s:")
        length = int(self.match(_INT, "a string length"))
        if length < 0:
            self.fail("A string length cannot be negative", start)
        self.expect(b':"')
        begin = self.pos
        end = begin + length
        if self.data[end : end + 2] == b'";':
            raw = self.data[begin:end]
            self.pos = end + 2
        else:
            raw = self._string_with_lost_carriage_returns(begin, length)
            if raw is None:
                self.fail(f"The string is not {length} bytes long (s:N counts bytes)", start)
        return raw.decode("utf-8", "replace")

    def _string_with_lost_carriage_returns(self, begin, length):
        """Reads ``length`` bytes counting each ``\\n`` without ``\\r`` as two (see the module doc)."""
        counted = 0
        pos = begin
        while counted < length and pos < len(self.data):
            if self.data[pos] == 0x0A and (pos == begin or self.data[pos - 1] != 0x0D):
                counted += 2
            else:
                counted += 1
            pos += 1
        if counted != length or self.data[pos : pos + 2] != b'";':
            return None
        self.pos = pos + 2
        return self.data[begin:pos]

    def array(self, depth):
        start = self.pos
        self.expect(b"a:")
        count = int(self.match(_INT, "an array size"))
        if count < 0:
            self.fail("An array size cannot be negative", start)
        # Each element needs at least 4 bytes ("i:0;N;" is 6): a size larger than the
        # remaining data is a lie, refused before any work.
        if count * 4 > len(self.data) - self.pos:
            self.fail(f"The array claims {count} elements, more than the data holds", start)
        self.expect(b":{")
        result = {}
        for _index in range(count):
            key_pos = self.pos
            key = self.value(depth + 1)
            if not isinstance(key, int | str) or isinstance(key, bool):
                self.fail("An array key must be an integer or a string", key_pos)
            result[key] = self.value(depth + 1)
        self.expect(b"}")
        return result
