"""Data exports (« Mes données »): dataExportRequest and viewer.dataExports."""
