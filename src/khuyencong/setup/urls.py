from django.urls import path

from khuyencong.setup import views

app_name = "setup"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:province_id>/", views.province_page, name="province"),
    path("<int:province_id>/organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/rename/", views.rename, name="rename"),
    path("<int:province_id>/users/", views.users, name="users"),
    path("users/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("users/<int:pk>/reinvite/", views.reinvite, name="reinvite"),
    path("users/<int:pk>/reset-two-factor/", views.reset_two_factor, name="reset_two_factor"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("<int:province_id>/report-settings/", views.report_settings, name="report_settings"),
    path(
        "<int:province_id>/report-settings/preview/",
        views.report_settings_preview,
        name="report_settings_preview",
    ),
    path("<int:province_id>/procedure/", views.procedure_page, name="procedure"),
    path("<int:province_id>/procedure/edit/", views.procedure_edit, name="procedure_edit"),
]
