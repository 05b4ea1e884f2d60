"""Micro-warehouse delivery within 30 minutes: riders, batches, a route plan for each batch (OR-Tools), promised
and actual times."""
