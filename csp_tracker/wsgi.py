"""WSGI entry point (gunicorn csp_tracker.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_tracker.settings")
application = get_wsgi_application()


def prepare_worker() -> None:
    """Import every view now (WeasyPrint with the document views), then move what start-up
    made into the garbage collector's permanent generation.

    A worker's first request does not pay for the imports, and every full collection after
    start-up skips the hundred thousand objects of Python, Django and WeasyPrint that live as
    long as the process. A PDF makes enough objects to set off such collections; freezing
    takes about a twentieth off laying one out (docs/benchmarks/documents.md).
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (importing the URLconf imports the views)
    gc.collect()
    gc.freeze()


prepare_worker()
