from django.urls import path

from actions import authoring_views, lifecycle_views, round_views, views

app_name = "actions"

PLAN = "partnerships/<slug:slug>/plans/<slug:plan_slug>/"
ROUND = f"{PLAN}rounds/<slug:round_slug>/"

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
    path(f"{PLAN}publish/", lifecycle_views.publish, name="plan-publish"),
    path(f"{PLAN}unpublish/", lifecycle_views.unpublish, name="plan-unpublish"),
    path(f"{PLAN}agree/", lifecycle_views.agree, name="plan-agree"),
    path(f"{PLAN}close/", lifecycle_views.close, name="plan-close"),
    path(f"{PLAN}edit/", authoring_views.workspace, name="plan-workspace"),
    path(f"{PLAN}issues/<int:pk>/actions/new/", authoring_views.action_add, name="action-add"),
    path(f"{PLAN}actions/<int:pk>/move/", authoring_views.action_move, name="action-move"),
    path(
        f"{PLAN}actions/<int:pk>/removal/",
        authoring_views.action_removal,
        name="action-removal",
    ),
    path(
        f"{PLAN}measures/<int:pk>/removal/",
        authoring_views.measure_removal,
        name="measure-removal",
    ),
    path(f"{PLAN}rounds/", round_views.rounds, name="rounds"),
    # Before ROUND: "new" is kept from round slugs (services.RESERVED_ROUND_SLUGS).
    path(f"{PLAN}rounds/new/", round_views.round_open, name="round-open"),
    path(ROUND, round_views.round_page, name="round"),
    path(f"{ROUND}close/", round_views.round_close, name="round-close"),
    path(f"{ROUND}reopen/", round_views.round_reopen, name="round-reopen"),
]
