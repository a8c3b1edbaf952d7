"""URLs of the reports app, gathered from its parts (documents, dashboards)."""

from reports.dashboard_urls import urlpatterns as dashboard_patterns
from reports.document_urls import urlpatterns as document_patterns

app_name = "reports"
urlpatterns = document_patterns + dashboard_patterns
