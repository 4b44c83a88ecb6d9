"""Figures: the numbers an article states (counts, money, percentages), with what they count."""

from storyline.understand.figures._figures import find_figures

__all__ = ["find_figures"]
