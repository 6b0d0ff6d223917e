"""The records button data names by their random refs (storage/refs.py says why)."""

from __future__ import annotations

from services.deps import Deps
from storage import refs as ref_store


async def id_of(deps: Deps, table: str, ref: str | None) -> int | None:
    """The row id a button's ref names, or None (unknown, empty or malformed)."""
    return await ref_store.id_of(deps.db, table, ref)


async def ref_of(deps: Deps, table: str, row_id: int | None) -> str:
    """The ref a button names a row by ("" if there is no such row)."""
    return await ref_store.ref_of(deps.db, table, row_id)
