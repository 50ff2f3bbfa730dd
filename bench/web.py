"""The benchmark's web setup: the project's URLs plus the two comparison points the scale
benchmark needs, kept out of the product's URLconf (``bench.settings`` points to it).

- ``/__bench__/bare/``: a bare view returning a static body (the size is set by
  ``BENCH_BARE_BYTES``) through the same middleware stack: the server's floor;
- ``/__bench__/admin/``: the peer, Django admin's changelist over ``Project`` with the same
  filters (province, plan year) and page size (25) as the project list.
"""

from __future__ import annotations

import os

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from khuyencong.projects.models import Project

BARE_BODY = b"x" * int(os.environ.get("BENCH_BARE_BYTES", "20000"))


def bare(_request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_BODY, content_type="text/html; charset=utf-8")


class PeerSite(admin.AdminSite):
    site_header = "Peer: Django admin"


class ProjectPeerAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "status", "province", "content_area", "budget_national",
                    "budget_local")  # fmt: skip
    # the generous setup an admin would choose: provinces present only, no full count
    list_filter = (("province", admin.RelatedOnlyFieldListFilter), "plan__year")
    show_full_result_count = False
    list_select_related = ("province", "content_area")
    list_per_page = 25
    search_fields = ("search_text",)


peer_site = PeerSite(name="bench_admin")
peer_site.register(Project, ProjectPeerAdmin)

urlpatterns = [
    path("__bench__/bare/", bare, name="bench_bare"),
    path("__bench__/admin/", peer_site.urls),
    path("", include("khuyencong.urls")),
]
