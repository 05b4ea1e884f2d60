"""Traceability: product batches with their origin and a hash-chained log of entries, so tampering shows."""
