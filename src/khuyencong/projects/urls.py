from django.urls import path

from khuyencong.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
]
