"""What every seed loader shares: where the seed documents are and how their values read.

The loaders live with the data they load (actions/seeds.py the plans, meetings/seeds.py the
meetings, plans/indicator_seeds.py the indicators); the shape of the files is described in
fixtures/README.md.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"


def read_seed(name: str) -> dict:
    """One seed document (a file in fixtures/seeds/), parsed."""
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def seed_date(value: str | None) -> datetime.date | None:
    """A date as the seeds write it (ISO, "2015-12-14"); None where they give none."""
    return datetime.date.fromisoformat(value) if value else None


def seed_number(value) -> Decimal | None:
    """A figure as the seeds write it (a JSON number), kept exact; None where they give none."""
    return None if value is None else Decimal(str(value))
