"""Permission policies of the access app."""
