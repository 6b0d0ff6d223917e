"""Filters whose answer follows from an update's shape, declared where they are built.

The update dispatch (bot/update_order.py) asks a handler once per update shape
when its answer cannot change between updates of that shape: PTB's own filters
for the update kind, the chat type, text, caption, a command at the start and
three service fields (`bot.update_order.PURE_FILTERS`). PTB's `&`, `|` and `~`
build combinations of them whose parts are not public API, so a handler that
combines shape filters says so:

    MessageHandler(shape_only(filters.TEXT & ~filters.COMMAND), on_text)

Only combinations of those filters may be declared (no regex, no custom filter,
nothing that reads the text or the sender): a wrong declaration would make the
dispatch remember an answer that depends on more than the shape.
tests/unit/test_update_order.py compares every handler group's choice with
PTB's own walk on the real handler set. An undeclared combination is asked on
every update: slower, never wrong.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import filters


class ShapeOnly(filters.UpdateFilter):
    """A combination of shape filters (see the module's docstring); answers as it does."""

    __slots__ = ("combined",)

    def __init__(self, combined: filters.BaseFilter) -> None:
        if combined.data_filter:
            raise ValueError(f"{combined.name} is a data filter, not a shape")
        super().__init__(name=combined.name)
        self.combined = combined

    def filter(self, update: Update) -> bool:
        return bool(self.combined.check_update(update))


def shape_only(combined: filters.BaseFilter) -> ShapeOnly:
    """Declare `combined` made only of shape filters (see the module's docstring)."""
    return ShapeOnly(combined)
