"""Crisis handling: cases opened from an alert or by hand, playbook steps with owners and deadlines,
compensation once per member per case, follow-ups."""
