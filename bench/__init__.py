"""HTTP throughput benchmark: order placement against bare /healthz, on SQLite and PostgreSQL.

Run it with `make bench` or `python -m bench --help` from the repository root; see bench/README.md.
"""
