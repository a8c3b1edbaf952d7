"""What every seed loader shares (where the seed documents are and how their values read),
and the loader of the indicator figures the documents give.

The loaders live with the data they load (actions/seeds.py the plans, meetings/seeds.py the
meetings, this module the indicators); the shape of the files is described in
fixtures/README.md.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from plans import services
from plans.models import Indicator, Partnership, Priority

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


# The indicator figures the seed documents give (fixtures/seeds/*-indicators.json): only
# figures a document prints, with the period it states: where it states none, the dates
# are left empty and the period label says so. Loading is idempotent: an indicator or a value
# that is already there (same partnership and name; same indicator and period label) is left
# as it is.

INDICATOR_FILES = [
    "kent-indicators.json",
    "thanet-indicators.json",
    "ashford-indicators.json",
]


@transaction.atomic
def load_indicators(*, report=None, by=None) -> None:
    """Load every seeded indicator value; idempotent.

    `report` (the plans loader's LoadReport) gets a line per file that added anything.
    """
    for name in INDICATOR_FILES:
        added = load_file(read_seed(name), by=by)
        if report is not None:
            line = f"Indicators from {name}"
            (report.created if added else report.unchanged).append(line)


def load_file(data: dict, *, by=None) -> int:
    """Load one file's indicators and values; returns how many rows it added."""
    partnership = Partnership.objects.get(slug=data["partnership"])
    added = 0
    for spec in data["indicators"]:
        indicator = Indicator.objects.filter(partnership=partnership, name=spec["name"]).first()
        if indicator is None:
            indicator = services.define_indicator(
                partnership=partnership,
                name=spec["name"],
                unit=spec.get("unit", ""),
                source=spec.get("source", ""),
                direction=spec.get("direction", Indicator.Direction.LOWER),
                target=seed_number(spec.get("target")),
                target_note=spec.get("target_note", ""),
                priority=_priority(partnership, spec.get("priority")),
                description=spec.get("description", ""),
                by=by,
            )
            added += 1
        known = set(indicator.values.values_list("period_label", flat=True))
        for value in spec.get("values", []):
            if value["period_label"] in known:
                continue
            services.record_indicator_value(
                indicator=indicator,
                period_label=value["period_label"],
                period_start=seed_date(value.get("period_start")),
                period_end=seed_date(value.get("period_end")),
                value=seed_number(value["value"]),
                source=value.get("source", ""),
                note=value.get("note", ""),
                by=by,
            )
            added += 1
    return added


def _priority(partnership, spec: dict | None) -> Priority | None:
    if not spec:
        return None
    return Priority.objects.get(
        plan__partnership=partnership, plan__slug=spec["plan"], title=spec["title"]
    )
