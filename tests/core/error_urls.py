"""The app's URLs plus one view that fails: the 500 page under test."""

from django.urls import path

from khuyencong.urls import handler403, handler404, handler500, urlpatterns


def broken(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [*urlpatterns, path("broken/", broken)]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
