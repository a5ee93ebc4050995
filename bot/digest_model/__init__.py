"""The digest's plain model: subscriptions, claims, change items and due-time arithmetic.

Pure (no Discord, no database), so the store, the renderer, the scheduler and the cogs can all depend on it
without the store importing `bot.digest`.
"""
