from django.urls import path

from khuyencong.trust import views

app_name = "trust"
urlpatterns = [
    path("", views.AuditLogView.as_view(), name="log"),
    path("history/<int:content_type_id>/<str:pk>/", views.record_history, name="history"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
]
