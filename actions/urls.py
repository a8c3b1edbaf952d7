from django.urls import path

from actions import views

app_name = "actions"

PLAN = "partnerships/<slug:slug>/plans/<slug:plan_slug>/"

urlpatterns = [
    path(PLAN, views.plan, name="plan"),
    path("partnerships/<slug:slug>/actions/", views.action_list, name="list"),
    path("my-actions/", views.my_actions, name="my-actions"),
    path("actions/<int:pk>/", views.detail, name="detail"),
    path("actions/<int:pk>/updates/", views.record_update, name="record-update"),
    path("actions/<int:pk>/edit/", views.edit, name="edit"),
    path("imports/", views.upload, name="import"),
    path("imports/preview/", views.preview, name="import-preview"),
    path("imports/confirm/", views.confirm, name="import-confirm"),
    path("imports/template.<slug:fmt>", views.template, name="import-template"),
    path("imports/example.<slug:fmt>", views.example, name="import-example"),
    path(f"{PLAN}spreadsheet.<slug:fmt>", views.plan_spreadsheet, name="plan-spreadsheet"),
]
