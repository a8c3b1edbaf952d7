"""URLs of the meetings app (its minutes and agenda PDFs are the reports app's)."""

from django.urls import path

from meetings.views import reading, recording

app_name = "meetings"
urlpatterns = [
    path("partnerships/<slug:slug>/meetings/", reading.bodies, name="bodies"),
    path("partnerships/<slug:slug>/meetings/search/", reading.search, name="search"),
    path("partnerships/<slug:slug>/actions-arising/", reading.tracker, name="tracker"),
    path("partnerships/<slug:slug>/actions-arising.csv", reading.tracker_csv, name="tracker-csv"),
    path("bodies/<int:pk>/", reading.body, name="body"),
    path("bodies/<int:pk>/meetings.ics", reading.ical_feed, name="ical"),
    path("bodies/<int:pk>/meetings/new/", recording.create, name="create"),
    path("bodies/<int:pk>/numbering/", recording.numbering, name="numbering"),
    path("meetings/<int:pk>/", reading.detail, name="detail"),
    path("meetings/<int:pk>/edit/", recording.edit, name="edit"),
    path("meetings/<int:pk>/publication/", recording.publication, name="publication"),
    path("meetings/<int:pk>/attendance/", recording.attendance, name="attendance"),
    path(
        "meetings/<int:pk>/attendance/<int:attendance_pk>/removal/",
        recording.attendance_removal,
        name="attendance-removal",
    ),
    path("meetings/<int:pk>/agenda/", recording.agenda, name="agenda"),
    path("meetings/<int:pk>/declarations/", recording.declarations, name="declarations"),
    path("meetings/<int:pk>/actions-arising/", recording.actions_arising, name="actions-arising"),
    path("meetings/<int:pk>/minutes/new/", recording.minute_create, name="minute-create"),
    path("minutes/<int:pk>/edit/", recording.minute_edit, name="minute-edit"),
    path("actions-arising/<int:pk>/outcome/", recording.action_done, name="action-done"),
    path("meetings/<int:pk>/minutes/approval/", recording.minutes_approval, name="approval"),
    path("agenda-items/<int:pk>/papers/", recording.papers, name="papers"),
    path(
        "agenda-items/<int:pk>/papers/progress-report/",
        recording.paper_progress,
        name="paper-progress",
    ),
    path("papers/<int:pk>/removal/", recording.paper_removal, name="paper-removal"),
    path("papers/<int:pk>.pdf", reading.paper, name="paper"),
]
