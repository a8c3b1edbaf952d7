"""URLs of the reports app: the partnership's page (the coordinator's home), a plan's
documents, the dashboards, the meeting documents."""

from django.urls import path

from reports import views

app_name = "reports"

PLAN_REPORTS = "partnerships/<slug:slug>/plans/<slug:plan_slug>/reports/"

urlpatterns = [
    path("partnerships/<slug:slug>/", views.partnership, name="partnership"),
    path(PLAN_REPORTS, views.index, name="index"),
    path(f"{PLAN_REPORTS}plan.pdf", views.plan_pdf, name="plan-pdf"),
    path(f"{PLAN_REPORTS}progress/", views.progress, name="progress"),
    path(f"{PLAN_REPORTS}progress.pdf", views.progress_pdf, name="progress-pdf"),
    path(f"{PLAN_REPORTS}actions.<slug:fmt>", views.export, name="export"),
    path("partnerships/<slug:slug>/dashboard/", views.dashboard_page, name="dashboard"),
    path("partnerships/<slug:slug>/dashboard.pdf", views.dashboard_pdf, name="dashboard-pdf"),
    path("partnerships/<slug:slug>/audit/", views.audit, name="audit"),
    path("partnerships/<slug:slug>/roll-up/", views.county_rollup, name="county-rollup"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("meetings/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda-pdf"),
]
