"""Generic document reading and writing: spreadsheets read with calamine (``xlsx_reader``),
XLSX lists streamed out (``xlsx``, ``export``), XLSX tables in the documents' style
(``sheets``), DOCX (``docx``, ``docx_template``), PDF (``pdf``), charts and Vietnamese
document wording. A low layer: it imports only Django, third-party libraries and
``khuyencong.core``, never an app; the apps hand it their columns, rows and templates.
"""
