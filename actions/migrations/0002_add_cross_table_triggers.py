"""Invariants of actions that span tables (see csp_tracker/triggers.py)."""

from django.db import migrations

from csp_tracker.triggers import CheckTrigger


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_initial"), ("plans", "0002_add_cross_table_triggers")]

    operations = [
        CheckTrigger(
            name="action_issue_in_plan",
            table="actions_action",
            condition="""
                EXISTS (SELECT 1 FROM plans_emergingissue i
                        WHERE i.id = NEW.issue_id AND i.plan_id = NEW.plan_id)
            """,
        ),
        CheckTrigger(
            name="action_plan_fixed",
            table="actions_action",
            condition="NEW.plan_id = OLD.plan_id",
            on_insert=False,
        ),
        CheckTrigger(
            name="measure_action_fixed",
            table="actions_measure",
            condition="NEW.action_id = OLD.action_id",
            on_insert=False,
        ),
        CheckTrigger(
            name="measurereading_measure_of_action",
            table="actions_measurereading",
            condition="""
                EXISTS (SELECT 1 FROM actions_measure m
                        JOIN actions_actionupdate u ON u.action_id = m.action_id
                        WHERE m.id = NEW.measure_id AND u.id = NEW.update_id)
            """,
        ),
        CheckTrigger(
            name="actionupdate_period_of_plan",
            table="actions_actionupdate",
            condition="""
                NEW.period_id IS NULL
                OR EXISTS (SELECT 1 FROM actions_reportingperiod r
                           JOIN actions_action a ON a.plan_id = r.plan_id
                           WHERE r.id = NEW.period_id AND a.id = NEW.action_id)
            """,
        ),
    ]
