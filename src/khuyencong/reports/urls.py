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
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/return/", views.report_return, name="return"),
    path("<int:pk>/issue/", views.report_issue, name="issue"),
    path("<int:pk>/send/", views.report_send, name="send"),
    path("received/", views.ReceivedReportListView.as_view(), name="received"),
    path("<int:pk>/file.<str:fmt>", views.report_download, name="download"),
]
