from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/<slug:slug>/", views.partnership, name="partnership"),
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
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/values/new/", views.indicator_value_add, name="indicator-value-add"),
    path(
        "indicators/<int:pk>/values/<int:value_pk>/edit/",
        views.indicator_value_edit,
        name="indicator-value-edit",
    ),
]
