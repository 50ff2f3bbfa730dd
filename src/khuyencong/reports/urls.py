from django.urls import path

from khuyencong.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.preview, name="index"),
    path("sample.<str:fmt>", views.download, name="download"),
]
