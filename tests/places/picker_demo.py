"""A page with the picker, for the browser test only (no app form uses it yet)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import include, path

from khuyencong.core.forms import StyledForm
from khuyencong.places.widgets import AdminUnitChoiceField

PAGE = Template(
    """{% extends "core/base.html" %}{% block content %}
<form method="post">{% csrf_token %}{% include "core/_form.html" %}
<button type="submit" class="btn btn-primary">Save</button></form>
{% if chosen %}<p id="chosen">{{ chosen.pk|stringformat:"d" }} {{ chosen.full_path }}</p>{% endif %}
{% endblock %}"""
)


class DemoForm(StyledForm):
    commune = AdminUnitChoiceField(level="commune", valid_on=datetime.date(2018, 6, 30))


@login_required
def picker_page(request: HttpRequest) -> HttpResponse:
    form = DemoForm(request.POST or None)
    chosen = form.cleaned_data["commune"] if request.method == "POST" and form.is_valid() else None
    return HttpResponse(PAGE.render(RequestContext(request, {"form": form, "chosen": chosen})))


urlpatterns = [
    path("picker-demo/", picker_page, name="picker_demo"),
    path("", include("khuyencong.urls")),
]
