"""WSGI entry point, for gunicorn: `gunicorn coproseries.wsgi`.

Each gunicorn worker imports this module before it takes a request (and again when a worker
is recycled after `--max-requests`), so it also does here what the worker's first request
would otherwise do while a visitor waits: import every view (the URL configuration) and
compile every template. A worker's first page took 0.4-0.6 s without it, far past any page
served from the cache.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproseries.settings")

application = get_wsgi_application()


def warm_up():
    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(folder.rglob("*.html")):
            try:
                get_template(str(path.relative_to(folder)))
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue  # the page that uses it reports it, as it would have


warm_up()
