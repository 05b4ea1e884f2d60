"""Automated SOP journeys: trigger -> wait -> condition -> action -> branch, exactly once per member per step."""
