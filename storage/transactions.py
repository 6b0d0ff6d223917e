"""What both backends' transactions share: ending one runs to the end.

A transaction left open after a failure (an error in its body, a cancelled
BEGIN still running, a failed COMMIT) must be rolled back before anyone else
gets the connection, and a connection must go back to its pool, even when the
task doing it is cancelled meanwhile (a shutdown cancels handlers): otherwise
later writes would land in a transaction nobody ends, be acknowledged, and
vanish. `finish` waits for the step to complete whatever happens to the
caller, then passes a cancellation on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

log = logging.getLogger("storage.db")


async def finish(step: Awaitable[object], what: str) -> None:
    """Run `step` to its end even if the caller is cancelled meanwhile; then
    re-raise the cancellation. A failure of `step` itself is logged: the
    caller is already handling the error that made it necessary."""
    pending = asyncio.ensure_future(step)
    cancelled = False
    while not pending.done():
        try:
            await asyncio.shield(pending)
        except asyncio.CancelledError:
            cancelled = True
        except Exception:
            log.exception("storage: %s failed", what)
            break
    if cancelled:
        raise asyncio.CancelledError
