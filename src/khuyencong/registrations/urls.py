from django.urls import path

from khuyencong.core.views import coming_soon

app_name = "registrations"
urlpatterns = [path("", coming_soon, name="list")]
