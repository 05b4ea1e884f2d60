"""Alerts: metrics computed on a schedule against per-tenant thresholds, raised once, acknowledged and resolved in the alert centre."""
