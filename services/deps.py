"""What every service needs, as a protocol: the handlers' Runtime satisfies it.

Services take `deps` as their first argument instead of importing the handler
layer's Runtime (imports only point down, docs/architecture.md).
"""

from __future__ import annotations

from typing import Protocol

from core.clock import Clock
from core.config import Settings
from services.scheduler import Scheduler
from storage.db import Database


class Deps(Protocol):
    settings: Settings
    db: Database
    clock: Clock
    scheduler: Scheduler
