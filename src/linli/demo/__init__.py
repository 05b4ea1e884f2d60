"""The demo tenant: a believable Hangzhou group-buying business with 90 days of history.

`linli demo` calls `linli.demo.loader.load`. Everything is drawn from one `random.Random(seed)`,
so the same seed always gives the same people, catalogue and orders (times are relative to now).
"""
