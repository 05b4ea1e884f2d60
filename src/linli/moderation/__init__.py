"""Moderation: the sensitive-word screen (Aho-Corasick, evasion-aware) and the three-level review machine -> operator -> senior."""
