"""WSGI entry point (used by `retning serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retning.settings")
application = get_wsgi_application()
