"""Pages of the product vote, split by screen: contests (list, detail, set-up, workflow),
entries (registration, dossier, eligibility), scoring (the judge's cards), results and
certificates (announcement, complaints, decision, documents, public verification), rules
(the dated rule rows for the system administrator)."""
