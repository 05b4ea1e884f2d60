"""The only place that reads and writes this domain's tables; every query tenant-scoped."""
