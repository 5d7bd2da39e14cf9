"""Writes of the archive, by topic (import them from their modules; this package stays light):

- `records`: constituting dossiers, filing documents with versions and pages;
- `access`: every view and download checked and logged (`archive_log_access`, `archive_download`);
- `imports` (+ `import_report`): bulk import of scanned batches (register, enqueue, process, report);
- `ocr` (+ `ocr_fast`, `ocr_plugin`): Tesseract to PDF/A-2b and per-page text, through OCRmyPDF;
- `manifest`, `scans`: reading a batch's manifest and files;
- `fixity`: re-reading stored files against their SHA-256;
- `indexing`: the pages in the one search index.
"""
