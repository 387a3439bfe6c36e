"""The office's report as files: JSON, CSV, XLSX and PDF (charts).  Writers only lay out what
``services.report`` counted and protected; every file is written atomically and 0600."""
