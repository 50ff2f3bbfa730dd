from django.urls import path

from khuyencong.spreadsheets import views

app_name = "spreadsheets"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/<str:kind>.xlsx", views.template, name="template"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/choose/", views.choose, name="choose"),
    path("<int:pk>/file/", views.download, name="download"),
]
