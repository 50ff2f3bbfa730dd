from django.urls import path

from khuyencong.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.SavedReportListView.as_view(), name="index"),
    path("new/", views.report_new, name="new"),
    path("preview/", views.report_preview, name="preview"),
    path("template.docx", views.template_download, name="template"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/changes/", views.report_changes, name="changes"),
    path("<int:pk>/archive/", views.report_archive, name="archive"),
    path("<int:pk>/file.<str:fmt>", views.report_download, name="download"),
]
