"""Root URLs: each app's URLs under its own namespace (the app whose views.py serves them),
plus sign-in and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
    path("", include("meetings.urls")),
    path("", include("actions.urls")),
    path("", include("plans.urls")),
    path("about/", include("about.urls")),
]
