"""The Discord-facing side: the Bot subclass, its command tree and error handler, replies, page buttons,
option types, the curator gate and the write path for interactions. The store and renderer never import it."""
