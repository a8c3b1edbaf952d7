"""The security log: one line per event that an auditor or an incident responder would ask
about (sign-ins, lock-outs, second-factor and password changes, permission denials, downloads,
imports, a plan's state changes), through the logger `csp_tracker.security`.

Each line is a UTC time stamp, the event's name and `key=value` fields, e.g.

    2026-12-04T18:40:02Z sign_in.failure username="thanet-coordinator" ip=203.0.113.9

A value is quoted when it holds a space, a quote or an equals sign, and a line break or other
control character in it is escaped, so a user cannot forge a second line. Fields that would
make the log itself a secret (a password, a token, a session id, a code) are refused: the
call raises ValueError, so the mistake shows in the first test rather than in the log.

    log_event("download.export", user=request.user, request=request, plan=plan.pk, rows=12)
"""

import datetime
import logging
import re

from django.conf import settings

logger = logging.getLogger("csp_tracker.security")

#: Field names never written, whatever their value: a line must not be a credential.
FORBIDDEN_FIELDS = re.compile(r"pass|token|secret|session|cookie|csrf|otp|^code$|^key$|_key$")
_EVENT = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")
_PLAIN = re.compile(r"^[^\s\"'=\\]+$")


def client_address(request) -> str:
    """The address the request came from: the header named by settings.CLIENT_IP_HEADER
    (set only behind a proxy that writes it, e.g. "HTTP_X_FORWARDED_FOR"; its last entry,
    the one the proxy itself added) or else the connection's REMOTE_ADDR."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        forwarded = request.META.get(header, "")
        entries = [part.strip() for part in forwarded.split(",") if part.strip()]
        if entries:
            return entries[-1]
    return request.META.get("REMOTE_ADDR", "")


def log_event(event: str, *, user=None, request=None, **fields) -> str:
    """Write one line to the security log and return it.

    `event` is a dotted lower-case name ("sign_in.success", "plan.published"); `user` the
    person who acted (or was acted on) when signed in; `request` adds the client address and
    the path. Further fields are written in the order given; None values are left out.
    """
    if not _EVENT.match(event):
        raise ValueError(f"Security event names are dotted lower-case words, not {event!r}.")
    parts = [_now(), event]
    values: dict[str, object] = {}
    if user is not None and getattr(user, "is_authenticated", False):
        values["user"] = user.pk
        values["username"] = user.get_username()
    if request is not None:
        values["ip"] = client_address(request)
        values["method"] = request.method
        values["path"] = request.path
    for name, value in fields.items():
        if not _FIELD.match(name):
            raise ValueError(f"Security log field names are lower-case words, not {name!r}.")
        if FORBIDDEN_FIELDS.search(name):
            raise ValueError(f"The security log never records {name!r}.")
        values[name] = value
    parts += [f"{name}={_quote(value)}" for name, value in values.items() if value is not None]
    line = " ".join(parts)
    logger.info(line)
    return line


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _quote(value) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if _PLAIN.match(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in escaped)
    return f'"{escaped}"'
