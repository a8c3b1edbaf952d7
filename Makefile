# Shortcuts for the scripts in scripts/ and .ci/; docs/setup.md says what each does.
# Pass pytest arguments as ARGS (make test ARGS="-k plans -x"), the demo port as PORT.

.PHONY: install run demo seed test check ci

install:
	scripts/setup.sh

run demo:
	scripts/demo.sh

# Seeds the database DATABASE_URL names (default db.sqlite3) and creates the demo users.
seed: install
	DEMO_MODE=true .venv/bin/python manage.py migrate --noinput
	DEMO_MODE=true .venv/bin/python manage.py load_seeds --demo-users

# `check` is what CI runs on each database: ruff, djhtml, migrations, manage.py check, pytest.
test check:
	scripts/test.sh $(ARGS)

ci:
	.ci/run
