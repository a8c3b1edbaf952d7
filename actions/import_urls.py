"""The plan import pages, served in the `plans` namespace (plans:import).

The importer writes actions, so it lives in the actions app; csp_tracker/urls.py joins these
to plans/urls.py, so that plans never imports actions.
"""

from django.urls import path

from actions import import_views as views

PLAN = "partnerships/<slug:slug>/plans/<slug:plan_slug>/"

urlpatterns = [
    path("imports/", views.upload, name="import"),
    path("imports/preview/", views.preview, name="import-preview"),
    path("imports/confirm/", views.confirm, name="import-confirm"),
    path("imports/template.<slug:fmt>", views.template, name="import-template"),
    path("imports/example.<slug:fmt>", views.example, name="import-example"),
    path(f"{PLAN}spreadsheet.<slug:fmt>", views.plan_spreadsheet, name="plan-spreadsheet"),
]
