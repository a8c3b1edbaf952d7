"""The admin app, with CSP Tracker's own admin site (csp_tracker/admin.py): for site
administrators alone."""

from django.contrib.admin.apps import AdminConfig


class SiteAdministratorsAdminConfig(AdminConfig):
    default_site = "csp_tracker.admin.SiteAdministratorsAdminSite"
