"""Every command the bot answers, in one table.

This table feeds set_my_commands (per scope and language), /help and the
consistency test that also checks the README. Feature modules own their
handlers; the names here are the public interface.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandSpec:
    name: str
    #: "member": anyone; "facilitator": facilitators and co-facilitators.
    audience: str
    #: Where it is used: "private", "group" or "both".
    where: str

    @property
    def description_key(self) -> str:
        return f"commands.{self.name}"


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", "member", "private"),
    CommandSpec("help", "member", "both"),
    CommandSpec("join", "member", "group"),
    CommandSpec("agenda", "member", "both"),
    CommandSpec("reminders", "member", "private"),
    CommandSpec("mydata", "member", "private"),
    CommandSpec("forgetme", "member", "private"),
    CommandSpec("cancel", "member", "private"),
    CommandSpec("setup", "facilitator", "group"),
    CommandSpec("settings", "facilitator", "group"),
    CommandSpec("cofacilitator", "facilitator", "group"),
    CommandSpec("contract", "member", "group"),
    CommandSpec("stage", "facilitator", "group"),
    CommandSpec("herenow", "facilitator", "group"),
    CommandSpec("members", "facilitator", "both"),
    CommandSpec("schedule", "facilitator", "group"),
    CommandSpec("meeting", "facilitator", "group"),
    CommandSpec("evaluation", "facilitator", "private"),
    CommandSpec("report", "facilitator", "private"),
    CommandSpec("export", "facilitator", "private"),
    CommandSpec("dynamics", "facilitator", "both"),
    CommandSpec("coach", "facilitator", "group"),
)


def commands_for(audience: str, where: str) -> list[CommandSpec]:
    """Commands shown in one menu: facilitators also see member commands."""
    audiences = {"member"} if audience == "member" else {"member", "facilitator"}
    return [c for c in COMMANDS if c.audience in audiences and c.where in (where, "both")]
