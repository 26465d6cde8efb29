"""WSGI entry point (gunicorn wenku.wsgi): Django behind the anonymous page cache."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenku.settings")
django_application = get_wsgi_application()

from wenku.core.pagecache.wsgi import wrap  # noqa: E402 - needs the settings above

application = wrap(django_application)
