"""Deterministic pseudo-text: a syllable vocabulary sampled with a Zipf-like skew."""

from __future__ import annotations

import itertools
import random
from bisect import bisect_left

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "kr", "st", "tr")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou")
_CODAS = ("", "", "", "n", "r", "s", "l", "m")


class Vocabulary:
    """`size` distinct lowercase words; `sample` favours low ranks (word 0 is the most common)."""

    def __init__(self, rng: random.Random, size: int = 8000, skew: float = 1.05) -> None:
        syllables = [o + v + c for o in _ONSETS for v in _VOWELS for c in _CODAS]
        seen: dict[str, None] = {}
        while len(seen) < size:
            word = "".join(rng.choice(syllables) for _ in range(rng.choice((2, 2, 3, 3, 4))))
            if 4 <= len(word) <= 14:
                seen.setdefault(word, None)
        self.words: list[str] = list(seen)
        self.cum = list(itertools.accumulate(1.0 / (rank + 1) ** skew for rank in range(size)))
        self.rng = rng

    def sample(self, k: int) -> list[str]:
        """`k` words drawn with the vocabulary's skew."""
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)

    def band(self, low: float, high: float) -> list[str]:
        """The words whose rank lies between the fractions `low` and `high` of the vocabulary."""
        return self.words[int(low * len(self.words)) : max(int(high * len(self.words)), 1)]

    def sentence(self, n: int) -> str:
        """A capitalised sentence of `n` words."""
        words = self.sample(n)
        return " ".join(words).capitalize() + "."

    def paragraph(self, min_chars: int, max_chars: int) -> str:
        """Sentences until the text is between `min_chars` and `max_chars` long."""
        target = self.rng.randint(min_chars, max_chars)
        parts: list[str] = []
        length = 0
        while length < target:
            sentence = self.sentence(self.rng.randint(6, 16))
            parts.append(sentence)
            length += len(sentence) + 1
        return " ".join(parts)[:max_chars].rstrip()


class Weighted:
    """Indices 0..n-1 drawn with a Zipf-like skew (index 0 the most popular)."""

    def __init__(self, rng: random.Random, n: int, skew: float) -> None:
        self.rng = rng
        self.cum = list(itertools.accumulate(1.0 / (i + 1) ** skew for i in range(n)))
        self.n = n

    def one(self) -> int:
        """One index."""
        return bisect_left(self.cum, self.rng.random() * self.cum[-1])

    def distinct(self, k: int) -> list[int]:
        """Up to `k` distinct indices."""
        out: dict[int, None] = {}
        for _ in range(k * 4):
            out.setdefault(self.one(), None)
            if len(out) >= k:
                break
        return list(out)
