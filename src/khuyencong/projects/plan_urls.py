from django.urls import path

from khuyencong.projects.views import plans as views

app_name = "plans"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("new/", views.PlanCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PlanUpdateView.as_view(), name="edit"),
    path("<int:pk>/submit/", views.PlanSubmitView.as_view(), name="submit"),
    path("<int:pk>/approve/", views.PlanApproveView.as_view(), name="approve"),
    path("<int:pk>/versions/new/", views.PlanVersionCreateView.as_view(), name="add_version"),
    path("<int:pk>/allocations/new/", views.AllocationCreateView.as_view(), name="allocate"),
]
