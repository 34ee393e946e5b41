"""WSGI entry point, used by gunicorn in production (``vsop_cms.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsop_cms.settings.production")

application = get_wsgi_application()
