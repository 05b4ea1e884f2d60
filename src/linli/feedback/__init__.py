"""Feedback kiosk: tickets with categories and attachments, SLA timers (1 h / 3 d / 5 d) with escalation,
and the FAQ bot."""
