from django.urls import path

from plans import authoring_views as authoring
from plans import views
from plans.models import Contact, GlossaryTerm, PlanSection

app_name = "plans"

# A plan's own pages are under the actions app's plan page address.
PLAN = "partnerships/<slug:slug>/plans/<slug:plan_slug>/"


def _parts(path_word: str, name: str, model) -> list:
    """The add, change, move and removal pages of one kind of document part."""
    kind = {"model": model}
    return [
        path(f"{PLAN}{path_word}/new/", authoring.part_add, kind, name=f"{name}-add"),
        path(f"{PLAN}{path_word}/<int:pk>/edit/", authoring.part_edit, kind, name=f"{name}-edit"),
        path(f"{PLAN}{path_word}/<int:pk>/move/", authoring.part_move, kind, name=f"{name}-move"),
        path(
            f"{PLAN}{path_word}/<int:pk>/removal/",
            authoring.part_removal,
            kind,
            name=f"{name}-removal",
        ),
    ]


authoring_patterns = [
    # Not under plans/: a plan's address is partnerships/<slug>/plans/<its slug>/.
    path("partnerships/<slug:slug>/new-plan/", authoring.plan_start, name="plan-start"),
    path(f"{PLAN}details/", authoring.plan_edit, name="plan-edit"),
    path(f"{PLAN}priorities/new/", authoring.priority_add, name="priority-add"),
    path(f"{PLAN}priorities/<int:pk>/edit/", authoring.priority_edit, name="priority-edit"),
    path(f"{PLAN}priorities/<int:pk>/move/", authoring.priority_move, name="priority-move"),
    path(
        f"{PLAN}priorities/<int:pk>/removal/",
        authoring.priority_removal,
        name="priority-removal",
    ),
    path(f"{PLAN}priorities/<int:pk>/issues/new/", authoring.issue_add, name="issue-add"),
    path(f"{PLAN}issues/<int:pk>/edit/", authoring.issue_edit, name="issue-edit"),
    path(f"{PLAN}issues/<int:pk>/move/", authoring.issue_move, name="issue-move"),
    path(f"{PLAN}issues/<int:pk>/removal/", authoring.issue_removal, name="issue-removal"),
    *_parts("sections", "section", PlanSection),
    *_parts("glossary", "glossary", GlossaryTerm),
    *_parts("contacts", "contact", Contact),
]

urlpatterns = [
    *authoring_patterns,
    path("", views.home, name="home"),
    path("partnerships/<slug:slug>/indicators/", views.indicators, name="indicators"),
    path("partnerships/<slug:slug>/indicators/new/", views.indicator_add, name="indicator-add"),
    path(
        "partnerships/<slug:slug>/indicators/upload/",
        views.indicator_upload,
        name="indicator-upload",
    ),
    path(
        "partnerships/<slug:slug>/indicators/template.csv",
        views.indicator_template,
        name="indicator-template",
    ),
    path("partnerships/<slug:slug>/people/", views.people, name="people"),
    path("partnerships/<slug:slug>/people/invitations/", views.invite, name="invite"),
    path(
        "partnerships/<slug:slug>/people/invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "partnerships/<slug:slug>/people/invitations/<int:pk>/withdrawal/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("partnerships/<slug:slug>/people/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path(
        "partnerships/<slug:slug>/people/<int:pk>/removal/",
        views.member_removal,
        name="member-removal",
    ),
    path("partnerships/<slug:slug>/agencies/", views.agencies, name="agencies"),
    path("partnerships/<slug:slug>/agencies/add/", views.agency_add, name="agency-add"),
    path("partnerships/<slug:slug>/agencies/propose/", views.agency_propose, name="agency-propose"),
    path(
        "partnerships/<slug:slug>/agencies/<int:pk>/removal/",
        views.agency_removal,
        name="agency-removal",
    ),
    # The acceptance page first: a token is never "accept" (it holds colons).
    path("invitations/accept/", views.invitation, name="invitation"),
    path("invitations/<str:token>/", views.invitation_open, name="invitation-open"),
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/values/new/", views.indicator_value_add, name="indicator-value-add"),
    path(
        "indicators/<int:pk>/values/<int:value_pk>/edit/",
        views.indicator_value_edit,
        name="indicator-value-edit",
    ),
]
