"""who5: see handlers/__init__.py for its place in the registration order."""

from telegram.ext import Application


def register(app: Application) -> None:
    """Handlers are added as the feature is built."""
