"""Alerts: metrics computed on a schedule against per-tenant thresholds, raised once per window,
acknowledged and resolved in the alert centre."""
