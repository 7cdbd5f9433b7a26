"""Reports: the self-contained HTML assessment report and its figures."""
