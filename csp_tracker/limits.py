"""What one request may cost: the size of its body, and what its answer says about the server.

`RequestLimitsMiddleware` answers a body larger than settings.REQUEST_BODY_MAX_BYTES with the
service's own "too big" page (HTTP 413) before anything reads it: the size is told from
CONTENT_LENGTH, so a 50 MB upload costs the server a few hundred bytes of headers. A body whose
length is not given (chunked) is read through a stream capped at the same size, so nothing can
make a view read more. Django's DATA_UPLOAD_MAX_MEMORY_SIZE and FILE_UPLOAD_MAX_MEMORY_SIZE
still bound what a form holds in memory.

It also sets the `Server` header to a word that names no software or version, so an answer
does not advertise what to attack (gunicorn's own header is replaced the same way by
scripts/gunicorn.conf.py).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve

#: What every answer says in its Server header: no product, no version.
SERVER_HEADER = "csp-tracker"


def body_limit(request=None) -> int:
    """The largest request body the service reads for this request, in bytes: the view's own
    (accepts_body) where it takes larger uploads, else settings.REQUEST_BODY_MAX_BYTES."""
    if request is not None:
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            view = None
        own = getattr(view, "body_limit", None)
        if own is not None:
            return max(own(), settings.REQUEST_BODY_MAX_BYTES)
    return settings.REQUEST_BODY_MAX_BYTES


def accepts_body(limit: Callable[[], int]):
    """Mark a view that takes uploads larger than the service's limit: `limit()` gives its
    largest body in bytes (a function, so that it follows the settings)."""

    def mark(view):
        view.body_limit = limit
        return view

    return mark


def declared_length(request) -> int | None:
    """The body's length as the request declares it; None when not given or not a number."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


class RequestLimitsMiddleware:
    """Refuse an oversized body before it is read; never name the server software."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request)
        length = declared_length(request)
        if length is not None and length > limit:
            response = too_large(request, limit)
        else:
            stream = getattr(request, "_stream", None)
            if length is None and stream is not None:
                # No length given: whatever a server hands on is read no further than the limit.
                request._stream = LimitedStream(stream, limit)
            response = self.get_response(request)
        if request.META.get("SERVER_SOFTWARE") != SERVER_HEADER:
            # Django's development server adds its own name unless the answer has one;
            # gunicorn, configured by scripts/gunicorn.conf.py, writes this word itself.
            response["Server"] = SERVER_HEADER
        return response


def too_large(request, limit: int):
    """The service's page for a body too big to read (413). The rest of the body is never
    read; closing the connection is the server's part (a WSGI application may not set
    Connection), as gunicorn's sync workers and Django's development server do anyway."""
    return render(request, "413.html", {"limit": _megabytes(limit)}, status=413)


def _megabytes(size: int) -> str:
    return filesizeformat(size).replace(".0\xa0", "\xa0")
