"""The cast of the import and meeting tests, for the security events they cause."""

from tests.imports.conftest import thanet_client, thanet_coordinator  # noqa: F401
from tests.meetings.conftest import body, meeting, next_meeting, person  # noqa: F401
from tests.meetings.test_restricted import scene  # noqa: F401
