"""Generic document reading and writing: spreadsheets read with calamine (``xlsx_reader``),
XLSX lists streamed out (``xlsx``, ``export``) and the DOCX/PDF writing of reports. A low
layer: it imports only Django, third-party libraries and ``khuyencong.core``, never an app;
the apps hand it their columns, rows and templates.
"""
