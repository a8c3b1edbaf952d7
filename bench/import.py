"""Benchmark: import a generated 1,000-row plan (dry run, then apply), and import it again.

    .venv/bin/python bench/import.py [--rows 1000] [--repeat 3] [--format xlsx|csv]

Runs against a fresh SQLite database in a temporary directory (migrated and seeded), or
against DATABASE_URL when it is set (use a scratch database: each run adds a partnership).
Prints a Markdown table of the median and slowest times; docs/benchmarks/import.md keeps
the results. Target: each step of 1,000 rows in 5 s or less on a 2-core machine.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import measure, setup_django  # noqa: E402

AGENCIES = [
    "Kent Police",
    "KFRS",
    "KCC Wardens",
    "KCC Early Help",
    "Thanet District Council (TDC)",
    "TDC CSU",
    "NHS / CCG",
    "Turning Point",
] + [f"Benchmark Agency {n} (BA{n})" for n in range(1, 23)]
STATUSES = ["Not started", "On track", "ongoing", "At risk", "Completed", "complete"]


def rows(
    count: int, partnership: str, changed: int = 0, round_: int = 0, target: str = "2017-03-31"
) -> list[dict]:
    """A plan of `count` actions: 10 priorities, 10 issues each, actions shared among them.

    `changed` rows get new words; `round_` moves every action's status on by that many steps
    (a quarter's progress reported for the whole plan).
    """
    out = []
    for n in range(1, count + 1):
        p, i = (n - 1) % 10 + 1, (n - 1) // 10 % 10 + 1
        status = STATUSES[(n + round_) % len(STATUSES)]
        progress = f"Progress on action {n}: sessions held." if status != "Not started" else ""
        if round_:
            progress = f"Quarter {round_ + 1}: action {n} reported {status.lower()}."
        title = f"Action {n}: deliver the agreed work with partners in priority {p}."
        if n <= changed:
            title += " (revised)"
            progress += " More since."
        out.append(
            {
                "partnership": partnership,
                "plan_title": "Benchmark Plan 2016/17",
                "period_start": "2016-04-01",
                "period_end": "31/03/2017",
                "priority": f"Priority {p}",
                "emerging_issue": f"{i}. Issue {i} of priority {p}",
                "action_ref": str(n),
                "action": title,
                "lead_agency": AGENCIES[n % len(AGENCIES)],
                "support_agencies": "; ".join(AGENCIES[(n + k) % len(AGENCIES)] for k in (3, 7)),
                "measures": f"Sessions delivered; People reached ({n}); Feedback gathered",
                "target_date": target,
                "status": status,
                "progress_update": progress,
            }
        )
    return out


def encode(data: list[dict], fmt: str) -> bytes:
    from actions.importing.writing import write

    return write(data, fmt)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    options = parser.parse_args()
    vendor = setup_django()

    from django.contrib.auth import get_user_model

    from actions.importing import import_file, preview_file

    user, _ = get_user_model().objects.get_or_create(username="benchmark-importer")
    times: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    for run in range(options.repeat):
        partnership = f"Benchmark {time.time_ns()} Community Safety Partnership"
        first = encode(rows(options.rows, partnership), options.format)
        second = encode(rows(options.rows, partnership, changed=100), options.format)
        quarter = encode(rows(options.rows, partnership, changed=100, round_=1), options.format)
        dates = encode(
            rows(options.rows, partnership, changed=100, round_=1, target="2017-02-28"),
            options.format,
        )
        name = f"bench.{options.format}"
        dry, apply = (
            partial(preview_file, filename=name),
            partial(import_file, filename=name, by=user),
        )
        steps = [
            ("dry run, new plan", dry, first),
            ("apply, new plan", apply, first),
            ("dry run, same file again", dry, first),
            ("apply, same file again (no change)", apply, first),
            ("apply, 100 rows changed", apply, second),
            ("dry run, every row's progress new", dry, quarter),
            ("apply, every row's progress new", apply, quarter),
            ("apply, every row's target date new", apply, dates),
        ]
        for label, step, data in steps:
            seconds, cpu, result = measure(partial(step, data))
            times.setdefault(label, []).append(seconds)
            cpus.setdefault(label, []).append(cpu)
            errors = getattr(result, "errors", [])
            assert not errors, errors[:3]
        print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()))
    size = len(first)
    print()
    print(
        f"{options.rows} rows, {options.format.upper()} file of {size / 1024:.0f} KB, "
        f"{vendor}, Python {platform.python_version()}, {options.repeat} runs"
    )
    print()
    load = os.getloadavg()[0]
    print(f"Load average when it finished: {load:.1f} (other work on the machine slows wall time)")
    print()
    print("| step | median | slowest | median CPU of this process |")
    print("|---|---:|---:|---:|")
    for label, values in times.items():
        cpu = statistics.median(cpus[label])
        print(
            f"| {label} | {statistics.median(values):.2f} s | {max(values):.2f} s | {cpu:.2f} s |"
        )


if __name__ == "__main__":
    main()
