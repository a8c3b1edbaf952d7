"""URLs of the scrutiny documents: plan and progress PDFs, downloads, exports."""

from django.urls import path

from reports import document_views as views

PLAN_REPORTS = "partnerships/<slug:slug>/plans/<slug:plan_slug>/reports/"

urlpatterns = [
    path(PLAN_REPORTS, views.index, name="index"),
    path(f"{PLAN_REPORTS}plan.pdf", views.plan_pdf, name="plan-pdf"),
    path(f"{PLAN_REPORTS}progress/", views.progress, name="progress"),
    path(f"{PLAN_REPORTS}progress.pdf", views.progress_pdf, name="progress-pdf"),
    path(f"{PLAN_REPORTS}actions.<slug:fmt>", views.export, name="export"),
]
