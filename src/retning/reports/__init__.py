"""Reports for the political council: the annual status report (HTML and PDF)."""
