"""Participation prediction: who joins a campaign, trained on order history, backtested against recency."""
