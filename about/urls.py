"""URLs of the about app: the pages a public body must publish about the service itself."""

from django.urls import path

from about import views

app_name = "about"

urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
