from django.urls import path

from actions import views

app_name = "actions"
urlpatterns = [
    path("partnerships/<slug:slug>/plans/<slug:plan_slug>/", views.plan, name="plan"),
    path("partnerships/<slug:slug>/actions/", views.action_list, name="list"),
    path("my-actions/", views.my_actions, name="my-actions"),
    path("actions/<int:pk>/", views.detail, name="detail"),
    path("actions/<int:pk>/updates/", views.record_update, name="record-update"),
    path("actions/<int:pk>/edit/", views.edit, name="edit"),
]
