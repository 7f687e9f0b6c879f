"""Letters (« Mes courriers »): issuing, reading, the PDF."""
