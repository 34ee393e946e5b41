"""Local development and the first run (``make run``): debug on, mail to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

# A fixed key is acceptable only here: dev settings never serve the public.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-vsop-dev-only-never-in-production")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
