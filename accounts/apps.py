from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self):
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts import signals  # noqa: F401  (the security log's sign-in events)

        # django-otp puts its devices in the admin, keys and recovery codes included; a site
        # administrator resets a second factor on /account/second-factor-resets/ instead,
        # which logs it and ends the person's sessions, and never sees a secret.
        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
