from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
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
