"""Named invariants that span tables, enforced by the database with triggers.

A CHECK constraint sees one row; "an issue impacts only other priorities of its own plan"
needs another table. `CheckTrigger` is a migration operation that installs a trigger named
after the invariant on SQLite and PostgreSQL alike; a violating INSERT or UPDATE fails with
an IntegrityError that carries the name. Models describe the rule for people in `clean()`;
the trigger makes sure no write path (admin, import, raw ORM) can skip it.

SQLite drops a table's triggers when a migration rebuilds the table, so tests in
tests/plans/test_constraints.py prove that every trigger still bites.
"""

from django.db.migrations.operations.base import Operation


class CheckTrigger(Operation):
    """Refuse rows of `table` for which `condition` (SQL over NEW and OLD) is not true."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, name: str, table: str, condition: str, on_insert: bool = True):
        self.name = name
        self.table = table
        self.condition = " ".join(condition.split())
        self.on_insert = on_insert

    def deconstruct(self):
        kwargs = {"name": self.name, "table": self.table, "condition": self.condition}
        if not self.on_insert:
            kwargs["on_insert"] = False
        return ("csp_tracker.triggers.CheckTrigger", [], kwargs)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for sql in self.create_sql(schema_editor.connection.vendor):
            schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for sql in self.drop_sql(schema_editor.connection.vendor):
            schema_editor.execute(sql)

    def describe(self):
        return f"Create trigger {self.name} on {self.table}"

    @property
    def migration_name_fragment(self):
        return self.name

    def _events(self) -> list[str]:
        return ["INSERT", "UPDATE"] if self.on_insert else ["UPDATE"]

    def create_sql(self, vendor: str) -> list[str]:
        if vendor == "sqlite":
            return [
                f"CREATE TRIGGER {self.name}_{event.lower()} BEFORE {event} ON {self.table} "
                f"FOR EACH ROW WHEN NOT COALESCE(({self.condition}), 0) "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {self.name}'); END"
                for event in self._events()
            ]
        if vendor == "postgresql":
            return [
                f"CREATE OR REPLACE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF NOT COALESCE(({self.condition}), false) THEN "
                f"RAISE EXCEPTION 'CHECK constraint failed: {self.name}' "
                f"USING ERRCODE = 'check_violation', CONSTRAINT = '{self.name}'; "
                f"END IF; RETURN NEW; END $$",
                f"CREATE TRIGGER {self.name} BEFORE {' OR '.join(self._events())} "
                f"ON {self.table} FOR EACH ROW EXECUTE FUNCTION {self.name}()",
            ]
        raise NotImplementedError(f"CheckTrigger supports SQLite and PostgreSQL, not {vendor}.")

    def drop_sql(self, vendor: str) -> list[str]:
        if vendor == "sqlite":
            return [f"DROP TRIGGER IF EXISTS {self.name}_{e.lower()}" for e in self._events()]
        return [
            f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
            f"DROP FUNCTION IF EXISTS {self.name}()",
        ]
