"""WSGI entry point, for gunicorn: `gunicorn coproseries.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproseries.settings")

application = get_wsgi_application()
