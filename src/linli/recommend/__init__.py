"""Recommendation: member behaviour events and per-member rankings of products and posts, with an offline
evaluation against popularity."""
