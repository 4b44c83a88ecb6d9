"""Versioned names for swappable components: ``"sqlite.v1"`` -> factory.

A name keeps meaning the same thing forever; a changed behaviour gets a new version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storyline.errors import ConfigError

_FACTORIES: dict[str, dict[str, Callable[..., Any]]] = {}


def register(role: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register ``factory`` under ``role``/``name``."""

    def deco(factory: Callable[..., Any]) -> Callable[..., Any]:
        _FACTORIES.setdefault(role, {})[name] = factory
        return factory

    return deco


def create(role: str, name: str, **kwargs: Any) -> Any:
    """Build the component registered as ``role``/``name``."""
    choices = _FACTORIES.get(role, {})
    if name not in choices:
        raise ConfigError(f"no {role} named {name!r}; available: {', '.join(sorted(choices)) or 'none'}")
    return choices[name](**kwargs)


def names(role: str) -> list[str]:
    """Registered names for ``role``."""
    return sorted(_FACTORIES.get(role, {}))
