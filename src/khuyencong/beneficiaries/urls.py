from django.urls import path

from khuyencong.beneficiaries import views

app_name = "beneficiaries"
urlpatterns = [
    path("", views.BeneficiaryListView.as_view(), name="list"),
    path("new/", views.BeneficiaryCreateView.as_view(), name="create"),
    path("<int:pk>/", views.BeneficiaryDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.BeneficiaryUpdateView.as_view(), name="edit"),
    path("<int:pk>/archive/", views.BeneficiaryArchiveView.as_view(), name="archive"),
    path("<int:pk>/restore/", views.BeneficiaryArchiveView.as_view(restore=True), name="restore"),
]
