"""How often one reader may ask for something costly: counters in Django's cache.

A fixed window per key (a user, an address): `charge(key, limit=, window=)` counts one use and
says whether it is still within the limit. The counters live in the configured cache (shared
by the app's workers when that is Redis or the database cache; per process with the default
local-memory cache, where each worker then allows the limit on its own).
"""

import time

from django.core.cache import cache

from csp_tracker.security_log import client_address


class RateLimited(Exception):
    """Too many costly requests from one reader: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many requests; try again in {retry_after} seconds.")
        self.retry_after = retry_after


def charge(key: str, *, limit: int, window: int) -> None:
    """Count one use under the key; RateLimited once the window holds more than `limit`."""
    now = int(time.time())
    slot = now // window
    name = f"ratelimit:{key}:{slot}"
    cache.add(name, 0, timeout=window + 1)
    try:
        used = cache.incr(name)
    except ValueError:  # the counter expired between add and incr
        cache.add(name, 1, timeout=window + 1)
        used = 1
    if used > limit:
        raise RateLimited(retry_after=(slot + 1) * window - now)


def charge_reader(request, what: str, *, limit: int, window: int) -> None:
    """Count one use by the request's user (when signed in) and by its address: each has the
    limit; a reader over either is refused."""
    if request.user.is_authenticated:
        charge(f"{what}:user:{request.user.pk}", limit=limit, window=window)
    address = client_address(request) or "unknown"
    charge(f"{what}:address:{address}", limit=limit, window=window)
