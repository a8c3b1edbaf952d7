"""Lay out the published plans' PDFs before anyone asks for them.

A PDF is laid out once for each content and kept (reports/pdf.py); the first reader after a
change waits for the layout. Run this after a deploy and each night (cron, a systemd timer)
so that the documents councillors and residents read the next morning are already kept:
every published plan's document, and its progress report as at today and for every
reporting round begun. Everyone who may read a published plan gets the same documents, so
what is laid out here is what they are served. A document already kept is not laid out
again, so a run with nothing changed is quick.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import ngettext

from csp_tracker import permissions
from plans.models import Partnership, Plan
from reports import documents


class Command(BaseCommand):
    help = (
        "Lay out the PDFs of every published plan (the plan, and its progress report as at "
        "today and for each round begun) so that readers are served them at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--partnership",
            action="append",
            default=[],
            metavar="SLUG",
            help="Only this partnership's plans (repeat for more).",
        )

    def handle(self, *args, partnership, **options):
        unknown = set(partnership) - set(
            Partnership.objects.filter(slug__in=partnership).values_list("slug", flat=True)
        )
        if unknown:
            raise CommandError(f"No partnership {', '.join(sorted(unknown))}.")
        reader = permissions.public_reader()
        plans = Plan.objects.visible_to(reader).select_related("partnership")
        if partnership:
            plans = plans.filter(partnership__slug__in=partnership)
        today = timezone.localdate()
        count, started = 0, time.perf_counter()
        for plan in plans.order_by("partnership__name", "period_start"):
            count += self._prepare(f"{plan}: the plan", documents.plan_pdf, plan, reader)
            for moment in self._moments(plan, today):
                what = f"{plan}: progress, {moment.label}"
                count += self._prepare(what, documents.progress_pdf, plan, reader, moment)
        seconds = time.perf_counter() - started
        ready = ngettext("%(n)d document", "%(n)d documents", count) % {"n": count}
        self.stdout.write(f"{ready} ready in {seconds:.1f} s.")

    def _moments(self, plan, today) -> list[documents.AsAt]:
        """The report as at today (the reports page's default), then each round begun that is
        not that same report (the slug names the report, as in its file name)."""
        default = documents.as_at(plan, today=today)
        periods = plan.reporting_periods.filter(start__lte=today).order_by("start")
        rounds = [documents.as_at(plan, period_slug=p.slug, today=today) for p in periods]
        return [default, *(m for m in rounds if m.slug != default.slug)]

    def _prepare(self, what: str, make, *arguments) -> int:
        started = time.perf_counter()
        make(*arguments)
        self.stdout.write(f"  {what} ({time.perf_counter() - started:.1f} s)")
        return 1
