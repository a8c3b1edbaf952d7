"""Two officers press "Save update" at the same moment: one report is saved, the other is
refused as stale. Real threads and connections, on SQLite and PostgreSQL alike."""

import threading

from django.db import connection

from actions import services
from actions.models import ActionUpdate
from csp_tracker.editing import StaleEdit
from tests.factories import make_action


def test_two_simultaneous_updates_on_the_same_view_keep_one_and_refuse_the_other(
    transactional_db, coordinator, officer
):
    action = make_action()
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, words):
        try:
            barrier.wait(timeout=10)
            services.record_update(
                action=action,
                by=user,
                status="on_track",
                rag="green",
                narrative=words,
                based_on=None,
                version=action.version,
            )
            outcomes.append("saved")
        except StaleEdit:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(u, w))
        for u, w in [(coordinator, "Coordinator's words"), (officer, "Officer's words")]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["saved", "stale"]
    assert ActionUpdate.objects.filter(action=action).count() == 1
