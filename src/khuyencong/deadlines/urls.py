from django.urls import path

from khuyencong.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("count/", views.todo_count, name="count"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.RuleCreateView.as_view(), name="rule_create"),
    path("rules/<int:pk>/edit/", views.RuleUpdateView.as_view(), name="rule_edit"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("feed/<str:secret>.ics", views.feed, name="feed"),
]
