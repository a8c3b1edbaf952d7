"""Root URLs: each app's URLs under its own namespace (the app whose views.py serves them),
plus sign-in (accounts' view, named "login" as Django expects) and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as accounts_views

urlpatterns = [
    path("sign-in/", accounts_views.sign_in, name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("reports.urls")),
    path("", include("meetings.urls")),
    path("", include("actions.urls")),
    path("", include("plans.urls")),
    path("about/", include("about.urls")),
]
