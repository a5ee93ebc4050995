"""Watched sources: fetching (behind the address guard), parsing, item identity, suggestions.

Knows nothing of Discord; drafts and their review state are store data (bot.store.sources).
"""
