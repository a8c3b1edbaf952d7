"""Invariants of the plan hierarchy that span tables (see csp_tracker/triggers.py)."""

from django.db import migrations

from csp_tracker.triggers import CheckTrigger


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [
        CheckTrigger(
            name="emergingissue_priority_in_plan",
            table="plans_emergingissue",
            condition="""
                EXISTS (SELECT 1 FROM plans_priority p
                        WHERE p.id = NEW.priority_id AND p.plan_id = NEW.plan_id)
                AND NOT EXISTS (SELECT 1 FROM plans_issueimpact t
                                WHERE t.issue_id = NEW.id AND t.priority_id = NEW.priority_id)
            """,
        ),
        CheckTrigger(
            name="emergingissue_plan_fixed",
            table="plans_emergingissue",
            condition="NEW.plan_id = OLD.plan_id",
            on_insert=False,
        ),
        CheckTrigger(
            name="issueimpact_other_priority_of_plan",
            table="plans_issueimpact",
            condition="""
                EXISTS (SELECT 1 FROM plans_emergingissue i
                        JOIN plans_priority p ON p.plan_id = i.plan_id
                        WHERE i.id = NEW.issue_id AND p.id = NEW.priority_id
                          AND i.priority_id <> NEW.priority_id)
            """,
        ),
        CheckTrigger(
            name="priority_plan_fixed",
            table="plans_priority",
            condition="NEW.plan_id = OLD.plan_id",
            on_insert=False,
        ),
        CheckTrigger(
            name="categorytag_priority_in_plan",
            table="plans_categorytag",
            condition="""
                NEW.priority_id IS NULL
                OR EXISTS (SELECT 1 FROM plans_priority p
                           WHERE p.id = NEW.priority_id AND p.plan_id = NEW.plan_id)
            """,
        ),
    ]
