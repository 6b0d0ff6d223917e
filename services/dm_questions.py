"""The one question the bot is waiting for in a person's DM, kept in storage so a
DM flow survives a restart: a flow `ask`s, the DM router reads what is `pending`
when text arrives, and the flow `forget`s it once answered or abandoned.

A flow is named `<feature>.<step>` (`agenda.add`, `intake.goal`); forgetting by a
prefix (`"intake."`) leaves another feature's question alone.
"""

from __future__ import annotations

from typing import Any

from services.deps import Deps
from storage.dm_states import DmState, clear_dm_state, get_dm_state, set_dm_state

__all__ = ["DmState", "ask", "forget", "pending"]


async def pending(deps: Deps, user_id: int) -> DmState | None:
    """The question this person's next DM text answers, if any."""
    return await get_dm_state(deps.db, user_id)


async def ask(
    deps: Deps,
    user_id: int,
    flow: str,
    *,
    group_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Wait for this person's answer to `flow` (replacing any earlier question)."""
    await set_dm_state(deps.db, user_id, flow, deps.clock.now(), group_id=group_id, data=data)


async def forget(deps: Deps, user_id: int, flow_prefix: str | None = None) -> bool:
    """Stop waiting (only for flows starting with `flow_prefix`, if given); False if
    nothing was pending."""
    return await clear_dm_state(deps.db, user_id, flow_prefix)
