from django.urls import path

from khuyencong.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.CatalogIndexView.as_view(), name="index"),
    path("<slug:catalog>/", views.CatalogListView.as_view(), name="list"),
    path("<slug:catalog>/new/", views.CatalogCreateView.as_view(), name="create"),
    path("<slug:catalog>/<int:pk>/edit/", views.CatalogUpdateView.as_view(), name="edit"),
    path("<slug:catalog>/<int:pk>/archive/", views.CatalogArchiveView.as_view(), name="archive"),
    path(
        "<slug:catalog>/<int:pk>/restore/",
        views.CatalogArchiveView.as_view(restore=True),
        name="restore",
    ),
]
