"""A body too big is refused before it is read: the server reads its headers, not 50 MB."""

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler

pytestmark = pytest.mark.django_db

FIFTY_MB = 50 * 1024 * 1024


class CountingInput(io.RawIOBase):
    """A request body of `size` bytes made as it is read, counting what the server reads."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"x" * n
        self.read_bytes += n
        return n


def _call(path, body, *, declared=True, content_type=None):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": content_type or "multipart/form-data; boundary=BOUNDARY",
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if declared:
        environ["CONTENT_LENGTH"] = str(body.size)
    else:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    content = b"".join(WSGIHandler()(environ, start_response))
    return answer["status"], answer["headers"], content.decode()


@pytest.mark.parametrize("path", ["/sign-in/", "/imports/"])
def test_a_50_mb_post_is_refused_without_being_read(path):
    body = CountingInput(FIFTY_MB)
    status, headers, page = _call(path, body)
    assert status.startswith("413")
    assert body.read_bytes == 0
    assert "The file or form is too big" in page
    assert "up to 6\xa0MB" in page
    assert "govuk-service-navigation" in page  # the service's own layout
    assert "Connection" not in headers  # hop-by-hop: the server's to set, not the app's


def test_a_body_without_a_length_is_never_read_past_the_limit(settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024
    body = CountingInput(FIFTY_MB)
    _call("/sign-in/", body, declared=False, content_type="application/x-www-form-urlencoded")
    assert body.read_bytes <= 1024


def test_a_body_within_the_limit_is_read_as_usual(client, coordinator):
    """The limit is the service's: a sign-in of ordinary size still signs in."""
    coordinator.set_password("a long enough password")
    coordinator.save()
    response = client.post(
        "/sign-in/", {"username": coordinator.username, "password": "a long enough password"}
    )
    assert response.status_code == 302


def test_the_limit_is_a_setting(settings, client):
    settings.REQUEST_BODY_MAX_BYTES = 10
    response = client.post("/sign-in/", {"username": "someone", "password": "x" * 20})
    assert response.status_code == 413
    assert "up to 10\xa0bytes" in response.content.decode()


def test_no_answer_names_the_server_software(client):
    response = client.get("/")
    assert response["Server"] == "csp-tracker"


def test_gunicorn_configured_by_the_project_names_no_software():
    import runpy
    from pathlib import Path

    import gunicorn.http.wsgi

    saved = gunicorn.http.wsgi.SERVER, gunicorn.http.wsgi.SERVER_SOFTWARE
    try:
        runpy.run_path(str(Path(__file__).parents[2] / "scripts" / "gunicorn.conf.py"))
        assert gunicorn.http.wsgi.SERVER == "csp-tracker"
        assert gunicorn.http.wsgi.SERVER_SOFTWARE == "csp-tracker"
        request = type("Request", (), {"version": (1, 1), "method": "GET", "headers": []})()
        response = gunicorn.http.wsgi.Response(request, None, None)
        response.status = "200 OK"
        response.should_close = lambda: False
        headers = "".join(response.default_headers())
        assert "Server: csp-tracker\r\n" in headers
        assert "gunicorn" not in headers.lower()
    finally:
        gunicorn.http.wsgi.SERVER, gunicorn.http.wsgi.SERVER_SOFTWARE = saved


def test_a_view_that_takes_larger_uploads_says_so_and_keeps_a_limit(settings, meeting):
    """Meeting papers may be up to MEETING_PAPER_MAX_MB: their page reads such a body, and
    still refuses one past it unread; every other page keeps the service's limit."""
    from django.urls import reverse

    settings.MEETING_PAPER_MAX_MB = 20
    item_url = reverse("meetings:papers", args=[meeting.pk])
    body = CountingInput(FIFTY_MB)
    status, _, _ = _call(item_url, body)
    assert status.startswith("413") and body.read_bytes == 0
    from csp_tracker.limits import body_limit

    class Request:
        path_info = item_url

    assert body_limit(Request()) == 21 * 1024 * 1024
    Request.path_info = "/sign-in/"
    assert body_limit(Request()) == settings.REQUEST_BODY_MAX_BYTES
