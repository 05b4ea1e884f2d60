"""Password hashing cost comes from the settings; production keeps argon2-cffi's defaults, the suite runs cheap
(tests/__init__.py), and a hash always verifies at the cost recorded in it."""

from __future__ import annotations

import pytest
from argon2.profiles import RFC_9106_LOW_MEMORY

from linli.config import Settings, get_settings
from linli.core.security import hash_password, verify_password


def test_production_defaults_are_argon2s_own():
    defaults = Settings.model_fields
    assert (defaults["password_hash_time_cost"].default, defaults["password_hash_memory_kib"].default,
            defaults["password_hash_parallelism"].default) == (
        RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost, RFC_9106_LOW_MEMORY.parallelism)


def test_the_suite_hashes_cheaply():
    assert "$m=8,t=1,p=1$" in hash_password("secret")


def test_the_cost_follows_the_settings_and_a_hash_verifies_at_its_own_cost(monkeypatch: pytest.MonkeyPatch):
    cheap = hash_password("secret")
    try:
        monkeypatch.setenv("LINLI_PASSWORD_HASH_TIME_COST", "2")
        monkeypatch.setenv("LINLI_PASSWORD_HASH_MEMORY_KIB", "16")
        get_settings.cache_clear()
        dearer = hash_password("secret")
        assert "$m=16,t=2,p=1$" in dearer
        assert verify_password(cheap, "secret") and not verify_password(cheap, "other")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert verify_password(dearer, "secret") and not verify_password(dearer, "other")
    assert "$m=8,t=1,p=1$" in hash_password("secret")
