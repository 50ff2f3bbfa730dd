from django.urls import path

from khuyencong.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("new/", views.ProjectCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="edit"),
    path("<int:pk>/steps/<slug:kind>/", views.TransitionView.as_view(), name="step"),
    path("<int:pk>/progress/", views.ProgressView.as_view(), name="progress"),
    path("<int:pk>/events/<int:record>/annul/", views.AnnulView.as_view(), name="event_annul"),
    path(
        "<int:pk>/events/<int:record>/correct/", views.CorrectView.as_view(), name="event_correct"
    ),
    path(
        "<int:pk>/progress/<int:record>/annul/",
        views.ProgressAnnulView.as_view(),
        name="progress_annul",
    ),
    path(
        "<int:pk>/inspections/new/",
        views.InspectionCreateView.as_view(),
        name="inspection_create",
    ),
    path("<int:pk>/members/new/", views.MemberAddView.as_view(), name="member_add"),
    path("<int:pk>/members/<int:member>/end/", views.MemberEndView.as_view(), name="member_end"),
    path("<int:pk>/documents/new/", views.DocumentCreateView.as_view(), name="document_create"),
    path("inspections/", views.InspectionListView.as_view(), name="inspections"),
    path(
        "inspections/<int:pk>/edit/",
        views.InspectionUpdateView.as_view(),
        name="inspection_edit",
    ),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("beneficiaries/search/", views.beneficiary_search, name="beneficiary_search"),
]
