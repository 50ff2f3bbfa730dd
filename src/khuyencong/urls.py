from django.contrib import admin
from django.urls import include, path

from khuyencong.api.main import api
from khuyencong.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("khuyencong.accounts.urls")),
    path("places/", include("khuyencong.places.urls")),
    path("catalog/", include("khuyencong.catalog.urls")),
    path("beneficiaries/", include("khuyencong.beneficiaries.urls")),
    path("plans/", include("khuyencong.projects.plan_urls")),
    path("projects/", include("khuyencong.projects.urls")),
    path("registrations/", include("khuyencong.registrations.urls")),
    path("reports/", include("khuyencong.reports.urls")),
    path("dashboard/", include("khuyencong.dashboard.urls")),
    path("contests/", include("khuyencong.contests.urls")),
    path("events/", include("khuyencong.events.urls")),
    path("api/v1/", api.urls),
    path("api/", include("khuyencong.api.urls")),
    path("imports/", include("khuyencong.spreadsheets.urls")),
    path("audit/", include("khuyencong.trust.urls")),
    path("setup/", include("khuyencong.setup.urls")),
    path("deadlines/", include("khuyencong.deadlines.urls")),
    path("admin/", admin.site.urls),
]

# Vietnamese error pages in the site's layout (core/views.py)
handler403 = "khuyencong.core.views.permission_denied"
handler404 = "khuyencong.core.views.page_not_found"
handler500 = "khuyencong.core.views.server_error"
