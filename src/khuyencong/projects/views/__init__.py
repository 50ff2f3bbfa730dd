"""Project screens, one module per screen family (pages, steps, records, inspections,
documents); ``common`` holds what they share."""

from khuyencong.projects.views.annul import AnnulView, CorrectView, ProgressAnnulView
from khuyencong.projects.views.common import PROJECT_SCOPE, as_of_from
from khuyencong.projects.views.documents import DocumentCreateView
from khuyencong.projects.views.groups import MemberAddView, MemberEndView
from khuyencong.projects.views.inspections import (
    InspectionCreateView,
    InspectionListView,
    InspectionUpdateView,
)
from khuyencong.projects.views.pages import (
    ProjectDetailView,
    ProjectListView,
    document_download,
    timeline,
)
from khuyencong.projects.views.records import (
    ProjectCreateView,
    ProjectUpdateView,
    beneficiary_search,
)
from khuyencong.projects.views.steps import ProgressView, TransitionView

__all__ = [
    "PROJECT_SCOPE",
    "AnnulView",
    "CorrectView",
    "DocumentCreateView",
    "InspectionCreateView",
    "InspectionListView",
    "InspectionUpdateView",
    "MemberAddView",
    "MemberEndView",
    "ProgressAnnulView",
    "ProgressView",
    "ProjectCreateView",
    "ProjectDetailView",
    "ProjectListView",
    "ProjectUpdateView",
    "TransitionView",
    "as_of_from",
    "beneficiary_search",
    "document_download",
    "timeline",
]
