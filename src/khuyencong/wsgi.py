"""The WSGI application a server's workers (gunicorn, granian) load, each once.

After start-up a worker holds about 240,000 objects (Django, the apps, their URLconf and
views) that live as long as it does; every full collection of the garbage collector walked
them all again (several full collections in a few hundred requests, each a long pause:
docs/performance.md). They are loaded here, then moved to the collector's permanent
generation (``gc.freeze()``), where it no longer walks them; objects made by requests are
collected as before.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every view module now
gc.freeze()
