from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo


class Command(BaseCommand):
    help = (
        "The demo's second step: with a username, print the code that account's authenticator "
        "app shows now; without, give the demo accounts that need one their fixed key and "
        "print them. Needs DEMO_MODE=true."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="a demo account, e.g. thanet-coordinator")

    def handle(self, *args, username=None, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo codes only exist in the demo: set DEMO_MODE=true.")
        if username:
            try:
                self.stdout.write(demo.current_code(username))
            except TOTPDevice.DoesNotExist:
                raise CommandError(
                    f"{username} has no demo second factor: run `manage.py demo_code` first, "
                    "or sign in as that account without one."
                ) from None
            return
        enrolled = demo.enrol_demo_users()
        self.stdout.write("Demo accounts that sign in with a second factor (TOTP key, code now):")
        for name in enrolled:
            self.stdout.write(f"  {name:24} {demo.secret(name)}  {demo.current_code(name)}")
        self.stdout.write(
            "Type the key into an authenticator app, or get the current code with "
            "`manage.py demo_code <username>`."
        )
