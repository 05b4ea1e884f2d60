"""Pickup network: point status, hours and closures, assignment of orders to the best point by distance, capacity
and the member's preference (an optimiser), reassignment when a point is full or closed."""
