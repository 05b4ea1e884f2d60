"""Scenario campaigns aimed by segment, the campaign calendar, A/B tests and community pilots."""
