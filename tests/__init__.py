"""The test suite. Python runs this before any conftest or test module imports linli, so every password the
suite hashes (factories, logins, the demo, the unknown-account dummy) uses cheap argon2 parameters: microseconds
instead of ~0.1-0.7 s a hash. Production keeps argon2-cffi's defaults (config.py); the servers the browser tests
start in subprocesses inherit these through the environment."""

import os

for _name, _value in (("LINLI_PASSWORD_HASH_TIME_COST", "1"), ("LINLI_PASSWORD_HASH_MEMORY_KIB", "8"),
                      ("LINLI_PASSWORD_HASH_PARALLELISM", "1")):
    os.environ.setdefault(_name, _value)
