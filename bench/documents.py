"""Benchmark: the Thanet plan PDF, and a progress report of a generated 300-action plan.

    .venv/bin/python bench/documents.py [--actions 300] [--repeat 5] [--write]

Runs against a fresh SQLite database in a temporary directory (migrated and seeded), or
against DATABASE_URL when it is set (use a scratch database: each run adds a partnership).
The generated plan is built through the services, as an import or the seeds would build it:
4 priorities, 10 issues per priority, actions shared among them, two measures each, four
reporting periods and two updates per action (with readings). Prints a Markdown report of
the timings (first render, then median and slowest of --repeat), the queries each document
runs at 30 actions and at --actions, and the peak memory of the process; --write keeps it
in docs/benchmarks/documents.md.

Targets on a 2-core machine: Thanet plan ≤ 1.5 s, 300-action progress report ≤ 5 s, peak
memory ≤ 300 MB, and the same number of queries whatever the number of actions.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import describe_machine, measure, setup_django  # noqa: E402

STATUSES = [
    ("on_track", "green"),
    ("completed", "green"),
    ("at_risk", "amber"),
    ("delayed", "red"),
    ("on_track", "amber"),
]


def build_plan(actions: int, tag: str):
    """A plan of `actions` actions with a year of progress, written through the services."""
    import time_machine

    from actions import services as action_services
    from plans import services

    with time_machine.travel(datetime.datetime(2016, 4, 20, 12, 0), tick=False):
        partnership = services.create_partnership(
            slug=f"bench-{tag}",
            name=f"Benchmark {tag} Community Safety Partnership",
            short_name=f"Bench {tag} CSP",
            kind="district",
        )
        agencies = [
            services.find_agency(f"Bench agency {n}")
            or services.create_agency(name=f"Bench agency {n}", abbreviation=f"BA{n}")
            for n in range(1, 13)
        ]
        plan = services.create_plan(
            partnership=partnership,
            slug="2015-16",
            title="Community Safety Plan 2015/2016",
            period_start=datetime.date(2015, 4, 1),
            period_end=datetime.date(2016, 3, 31),
            status="live",
            impacts_label="Which of the other current priorities does this impact upon?",
        )
        periods = [
            action_services.add_reporting_period(
                plan=plan,
                name=f"Q{q} 2015/16",
                slug=f"q{q}",
                start=start,
                end=end,
            )
            for q, (start, end) in enumerate(
                [
                    (datetime.date(2015, 4, 1), datetime.date(2015, 6, 30)),
                    (datetime.date(2015, 7, 1), datetime.date(2015, 9, 30)),
                    (datetime.date(2015, 10, 1), datetime.date(2015, 12, 31)),
                    (datetime.date(2016, 1, 1), datetime.date(2016, 3, 31)),
                ],
                start=1,
            )
        ]
        priorities = [
            services.add_priority(plan=plan, title=title, evidence="Evidence for it.")
            for title in ["Safeguarding", "Reducing re-offending", "Drivers of crime", "Engagement"]
        ]
        issues = [
            services.add_issue(
                priority=priority,
                ref=str(4 * p + i + 1),
                title=f"Emerging issue {4 * p + i + 1} of {priority.title}",
                impacts=[other for other in priorities if other != priority][: i % 3],
            )
            for p, priority in enumerate(priorities)
            for i in range(10)
        ]
        for n in range(actions):
            action = action_services.add_action(
                issue=issues[n % len(issues)],
                ref=str(n + 1),
                title=(
                    f"Action {n + 1}: work with partners to reduce harm in the district, "
                    "review what works and report to the executive board each quarter."
                ),
                lead_agency=agencies[n % len(agencies)],
                support_agencies=[agencies[(n + 1) % 12], agencies[(n + 5) % 12]],
                target_date=datetime.date(2016, 3, 31) if n % 4 else datetime.date(2015, 11, 30),
            )
            count = action_services.add_measure(
                action=action, text="20 sessions delivered", is_numeric=True, target=Decimal(20)
            )
            action_services.add_measure(action=action, text="Feedback from participants")
            for step in range(2):
                status, rag = STATUSES[(n + step) % len(STATUSES)]
                period = periods[(n + step) % 3]
                action_services.record_update(
                    action=action,
                    by=None,
                    status=status,
                    rag=rag,
                    narrative=(
                        f"Update {step + 1}: sessions held across the district, partners "
                        "attending; numbers recorded and shared with the board."
                    ),
                    period=period,
                    reported_on=period.start + datetime.timedelta(days=20 + step),
                    readings={count: Decimal(5 * (step + 1))},
                )
    return plan


def as_a_worker() -> None:
    """Render as a gunicorn worker does: csp_tracker.wsgi loads every view and freezes what
    start-up made out of the garbage collector's full collections."""
    import csp_tracker.wsgi  # noqa: F401


def timed(render, repeat: int):
    """Laid out: the first render, then `repeat` more, each with the documents cache emptied
    first (wall and CPU seconds). Served again: `repeat` renders of a document already in the
    cache (wall seconds). And the last bytes."""
    from reports.pdf import document_store

    cache = document_store()
    cache.clear()
    first, _, content = measure(render)
    walls, cpus, served = [], [], []
    for _ in range(repeat):
        cache.clear()
        wall, cpu, content = measure(render)
        walls.append(wall)
        cpus.append(cpu)
    for _ in range(repeat):
        wall, _, cached = measure(render)
        assert cached == content
        served.append(wall)
    return first, walls, cpus, served, content


def _memory() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB (/proc: reset by exec,
    unlike getrusage's ru_maxrss, which a child inherits from the process that forked it)."""
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.split()
    return int(fields["VmRSS"][0]) / 1024, int(fields["VmHWM"][0]) / 1024


def memory_of(plan_id: int) -> None:
    """In a fresh process: lay out one progress report and print its peak memory (MB)."""
    setup_django()
    as_a_worker()
    from django.contrib.auth.models import AnonymousUser

    from plans.models import Plan
    from reports import documents
    from reports.pdf import document_store, render_pdf

    plan = Plan.objects.select_related("partnership").get(pk=plan_id)
    document_store().clear()
    before, _ = _memory()
    tracemalloc.start()
    moment = documents.as_at(plan, period_slug="q3", today=datetime.date(2016, 4, 20))
    context = documents.progress_document(plan, AnonymousUser(), moment)
    render_pdf("reports/progress_document.html", context)
    traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    _, peak = _memory()
    print(f"{before:.0f} {peak:.0f} {traced:.0f}")


def queries_of(render) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        render()
    return len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actions", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks/documents.md")
    parser.add_argument("--memory-of", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:
        memory_of(args.memory_of)
        return

    started = time.perf_counter()
    engine = setup_django()
    as_a_worker()
    from django.contrib.auth.models import AnonymousUser

    from plans.models import Plan
    from reports import documents
    from reports.pdf import render_pdf

    tag = datetime.datetime.now().strftime("%H%M%S")
    small, large = build_plan(30, f"{tag}-30"), build_plan(args.actions, f"{tag}-{args.actions}")
    built = time.perf_counter() - started
    reader = AnonymousUser()
    for plan in (small, large):  # the public reads published plans: no membership needed
        plan.published_at = datetime.datetime(2016, 4, 20, tzinfo=datetime.UTC)
        plan.save(update_fields=["published_at"])
    thanet = Plan.objects.select_related("partnership").get(
        partnership__slug="thanet", slug="2015-16"
    )

    def plan_pdf(plan):
        return lambda: render_pdf(
            "reports/plan_document.html", documents.plan_document(plan, reader)
        )

    def progress_pdf(plan):
        def render():
            moment = documents.as_at(plan, period_slug="q3", today=datetime.date(2016, 4, 20))
            context = documents.progress_document(plan, reader, moment)
            return render_pdf("reports/progress_document.html", context)

        return render

    def progress_context(plan):
        def build():
            moment = documents.as_at(plan, period_slug="q3", today=datetime.date(2016, 4, 20))
            return documents.progress_document(plan, reader, moment)

        return build

    rows = []
    for name, render in [
        ("Thanet plan PDF (30 actions)", plan_pdf(thanet)),
        (f"Progress report PDF, {args.actions} actions", progress_pdf(large)),
        ("Progress report PDF, 30 actions", progress_pdf(small)),
        (f"Plan PDF, {args.actions} actions", plan_pdf(large)),
    ]:
        load = os.getloadavg()[0]
        first, walls, cpus, served, content = timed(render, args.repeat)
        rows.append(
            f"| {name} | {first:.2f} s | {statistics.median(walls):.2f} s | "
            f"{max(walls):.2f} s | {statistics.median(cpus):.2f} s | "
            f"{statistics.median(served):.2f} s | {load:.1f} | {len(content) / 1024:.0f} KiB |"
        )

    child = subprocess.run(
        [sys.executable, __file__, "--memory-of", str(large.pk)],
        capture_output=True,
        text=True,
        check=True,
    )
    at_start, peak_rss, traced_peak = (float(v) for v in child.stdout.split()[-3:])
    whole_process = _memory()[1]

    counts = []
    for name, small_render, large_render in [
        ("Progress report (context)", progress_context(small), progress_context(large)),
        ("Progress report PDF", progress_pdf(small), progress_pdf(large)),
        ("Plan PDF", plan_pdf(small), plan_pdf(large)),
    ]:
        counts.append(f"| {name} | {queries_of(small_render)} | {queries_of(large_render)} |")

    import django
    import weasyprint

    report = "\n".join(
        [
            "# Benchmark: scrutiny documents",
            "",
            f"Run on {datetime.date.today():%-d %B %Y} with `.venv/bin/python bench/documents.py"
            f" --actions {args.actions} --repeat {args.repeat}` against {engine}.",
            f"Machine: {describe_machine()}, Django "
            f"{django.get_version()}, WeasyPrint {weasyprint.__version__}.",
            f"Building the seeds and two generated plans through the services took {built:.0f} s.",
            "",
            "The generated plans: 4 priorities, 40 issues, two measures and two updates (with a",
            "reading) per action, four quarterly periods; the report is Q3 2015/16. Timings",
            "include building the context (every query) and laying out the PDF.",
            "",
            "Laid out: the document rendered with the documents cache empty, as the first",
            "reader after any change to it gets it (first render, then the median and slowest",
            f"of {args.repeat} more). Served again: the same document once it is in the cache",
            "(its context and HTML built, its PDF read from the cache), as every later reader",
            "gets it until something it shows changes.",
            "",
            "| Document | First render | Median laid out | Slowest | Median CPU | Served again |"
            " Load | Size |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Wall times are on the machine as it was (Load: the 1-minute load average before",
            "the row, on 2 cores); Median CPU is the time the layout itself used.",
            "",
            f"Peak memory of a fresh process that serves one {args.actions}-action progress",
            f"report: {peak_rss:.0f} MB resident at its peak ({at_start:.0f} MB before the",
            "report: Python, Django and WeasyPrint loaded);",
            f"{traced_peak:.0f} MB allocated by Python at the peak (tracemalloc). This",
            "benchmark's own process, which built the plans through the services and rendered",
            f"everything above, peaked at {whole_process:.0f} MB.",
            "",
            "Queries per document (the same at 30 actions and at the larger size):",
            "",
            f"| Document | 30 actions | {args.actions} actions |",
            "|---|---|---|",
            *counts,
            "",
            "Targets (2 cores): Thanet plan ≤ 1.5 s, 300-action progress report ≤ 5 s, peak",
            "memory ≤ 300 MB, queries flat in the number of actions.",
            "",
        ]
    )
    print(report)
    if args.write:
        out = ROOT / "docs" / "benchmarks" / "documents.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")
        print(f"Written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
