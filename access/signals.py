"""Receivers of the access app (view restrictions mirrored to translations)."""
