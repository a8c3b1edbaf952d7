"""Root URLs: each app's URLs under its own namespace, plus sign-in and the admin.

Two namespaces are assembled here from two apps, to keep imports flowing one way:
`plans` gets the import pages from actions (which writes actions), and `meetings` gets the
minutes and agenda PDFs from reports (the only app that renders PDFs).
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import actions.import_urls
import meetings.urls
import plans.urls
import reports.meeting_urls

plans_namespace = (plans.urls.urlpatterns + actions.import_urls.urlpatterns, "plans")
meetings_namespace = (meetings.urls.urlpatterns + reports.meeting_urls.urlpatterns, "meetings")

urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
    path("", include(meetings_namespace)),
    path("", include("actions.urls")),
    path("", include(plans_namespace)),
]
