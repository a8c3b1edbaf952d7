"""Meeting documents (minutes and agenda pack PDFs) served in the `meetings` namespace.

csp_tracker/urls.py joins these to meetings/urls.py, so that meetings never imports reports.
"""

from django.urls import path

from reports import meeting_views as views

urlpatterns = [
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("meetings/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda-pdf"),
]
