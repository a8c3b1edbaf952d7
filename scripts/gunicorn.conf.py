"""gunicorn's settings for CSP Tracker: `gunicorn -c scripts/gunicorn.conf.py csp_tracker.wsgi`.

gunicorn names itself in every answer's Server header ("gunicorn") and in the WSGI environ;
here both say only "csp-tracker", which names no software or version (the app's middleware,
csp_tracker/limits.py, then leaves the header to the server). The request line and headers
are bounded by gunicorn's defaults; the body by the app (REQUEST_BODY_MAX_BYTES).
"""

import os

import gunicorn.http.wsgi

from csp_tracker.limits import SERVER_HEADER

gunicorn.http.wsgi.SERVER = SERVER_HEADER
gunicorn.http.wsgi.SERVER_SOFTWARE = SERVER_HEADER

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A PDF layout is refused past its budget (reports/pdf.py); a worker is killed well after it.
timeout = 60
# Headers and the request line: gunicorn's limits, stated so a change is deliberate.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
