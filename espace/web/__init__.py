"""HTTP pages and downloads beside GraphQL (French HTML, PDF files)."""
