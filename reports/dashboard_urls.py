"""URLs of the board's dashboard and the county roll-up."""

from django.urls import path

from reports import dashboard_views as views

urlpatterns = [
    path("partnerships/<slug:slug>/dashboard/", views.dashboard_page, name="dashboard"),
    path("partnerships/<slug:slug>/dashboard.pdf", views.dashboard_pdf, name="dashboard-pdf"),
    path("partnerships/<slug:slug>/roll-up/", views.county_rollup, name="county-rollup"),
]
