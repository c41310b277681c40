"""Small value types shared between steps (kept here so steps do not import each other)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A named-entity span found by NER in an article body: ``body[start:end] == text``."""

    start: int
    end: int
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT
    text: str
