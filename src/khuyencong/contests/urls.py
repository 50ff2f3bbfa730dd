from django.urls import path

from khuyencong.contests.views import contests, entries, results, rules, scoring

app_name = "contests"
urlpatterns = [
    path("", contests.ContestListView.as_view(), name="list"),
    path("new/", contests.contest_create, name="create"),
    path("<int:pk>/", contests.contest_detail, name="detail"),
    path("<int:pk>/edit/", contests.ContestUpdateView.as_view(), name="edit"),
    path("<int:pk>/do/<str:action>/", contests.contest_action, name="action"),
    path("<int:pk>/jury/add/", contests.jury_add, name="jury_add"),
    path("<int:pk>/judges/add/", contests.judge_add, name="judge_add"),
    path("<int:pk>/entries/add/", entries.entry_create, name="entry_create"),
    path("<int:pk>/announce/", results.announce, name="announce"),
    path("<int:pk>/complaints/add/", results.complaint_add, name="complaint_add"),
    path("<int:pk>/decision/", results.decision, name="decision"),
    path("<int:pk>/decision.<str:fmt>", results.decision_document, name="decision_document"),
    path("entries/<int:pk>/", entries.entry_detail, name="entry"),
    path("entries/<int:pk>/files/", entries.entry_file_add, name="entry_file_add"),
    path("entries/<int:pk>/review/", entries.entry_review, name="entry_review"),
    path("entries/<int:pk>/score/", scoring.score_entry, name="score"),
    path("files/<int:pk>/", entries.entry_file_download, name="file"),
    path("scoring/", scoring.my_scoring, name="my_scoring"),
    path("complaints/<int:pk>/resolve/", results.complaint_resolve, name="complaint_resolve"),
    path("certificates/", results.CertificateListView.as_view(), name="certificates"),
    path("certificates/<int:pk>.pdf", results.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", results.certificate_revoke, name="certificate_revoke"),
    path("verify/", results.verify, name="verify"),
    path("rules/", rules.rules_index, name="rules"),
    path("rules/<str:kind>/new/", rules.rule_edit, name="rule_create"),
    path("rules/<str:kind>/<int:pk>/", rules.rule_edit, name="rule_edit"),
    path("rules/score-sheet/<int:pk>/criteria/", rules.sheet_edit, name="sheet_edit"),
]
