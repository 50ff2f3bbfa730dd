from django.urls import path

from khuyencong.registrations import planning_views, views

app_name = "registrations"
urlpatterns = [
    path("", views.RegistrationListView.as_view(), name="list"),
    path("new/", views.RegistrationCreateView.as_view(), name="create"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("<int:pk>/", views.RegistrationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.RegistrationUpdateView.as_view(), name="edit"),
    path("<int:pk>/submit/", views.StepView.as_view(step="submit"), name="submit"),
    path("<int:pk>/return/", views.StepView.as_view(step="return"), name="return"),
    path("<int:pk>/withdraw/", views.StepView.as_view(step="withdraw"), name="withdraw"),
    path("<int:pk>/screen/", views.StepView.as_view(step="screen"), name="screen"),
    path("<int:pk>/appraise/", views.AppraiseView.as_view(), name="appraise"),
    path("<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path("<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attach"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("plans/", planning_views.PlanIndexView.as_view(), name="plans"),
    path(
        "plans/<int:province>/<int:year>/<str:source>/",
        planning_views.PlanBuildView.as_view(),
        name="plan",
    ),
    path(
        "plans/<int:province>/<int:year>/<str:source>/mau-2.xlsx",
        planning_views.SummarySheetView.as_view(),
        name="summary_sheet",
    ),
]
