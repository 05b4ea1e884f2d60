"""Moderation: the sensitive-word screen (Aho-Corasick, evasion-aware) and the review queue.

Three levels: machine verdict -> operator -> senior."""
