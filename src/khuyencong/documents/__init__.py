"""Generic document reading and writing (DOCX, PDF, XLSX, charts, Vietnamese document
wording): the machinery every app's documents share. Imports only Django, third-party
libraries and ``khuyencong.core``, never an app: the apps build their documents' content and
hand it to these writers."""
