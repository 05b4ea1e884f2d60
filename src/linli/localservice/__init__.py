"""Local services: merchants and their services, time slots, booking and cancellation without double-booking,
ratings."""
