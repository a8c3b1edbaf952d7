from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plans import demo
from reports.seeds import load_all_seeds


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Load the seed documents (Thanet, Ashford, Medway, Kent) as demo data. "
        "Idempotent: what is already there is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Also create the Thanet demo users (one per role); needs DEMO_MODE=true.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be loaded, then roll back."
        )

    def handle(self, *args, demo_users, dry_run, **options):
        if demo_users and not settings.DEMO_MODE:
            raise CommandError("Demo users only work in the demo: set DEMO_MODE=true.")
        try:
            with transaction.atomic():
                report = load_all_seeds()
                users = demo.create_demo_users() if demo_users else []
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("Dry run: nothing was saved.")
        for name in report.created:
            self.stdout.write(f"Loaded {name}")
        for name in report.unchanged:
            self.stdout.write(f"Already loaded {name}")
        if users:
            self.stdout.write(f"Demo users (password {demo.DEMO_PASSWORD!r}):")
            for user in users:
                self.stdout.write(f"  {user.username:24} {user.first_name}")
