"""The deterministic demo tenant."""
