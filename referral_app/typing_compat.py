"""``override`` for Qt method overrides, without importing typing_extensions at run time.

typing_extensions is a large module (several ms of start-up, before the first paint) and the
decorator does nothing at run time but mark the method. Type checkers see the real one; ruff
knows this module as a typing module (pyproject.toml: typing-modules), so N802 still accepts
``@override`` on Qt's camelCase overrides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from typing_extensions import override as override
else:
    _F = TypeVar("_F", bound=Callable)

    def override(method: _F) -> _F:
        """Mark ``method`` as overriding a base class method (as typing_extensions does)."""
        method.__override__ = True
        return method
