from django.urls import path

from khuyencong.places import views

app_name = "places"
urlpatterns = [
    path("", views.AdminUnitListView.as_view(), name="list"),
    path("search/", views.AdminUnitSearchView.as_view(), name="search"),
    path("<int:pk>/", views.AdminUnitDetailView.as_view(), name="detail"),
]
