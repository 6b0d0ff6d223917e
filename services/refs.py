"""The records button data names by their random refs (storage/refs.py says why)."""

from __future__ import annotations

from services.deps import Deps
from storage import refs as ref_store


async def id_of(deps: Deps, table: str, ref: str | None) -> int | None:
    """The row id a button's ref names, or None (unknown, empty or malformed)."""
    return await ref_store.id_of(deps.db, table, ref)
