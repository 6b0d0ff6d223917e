"""The benchmark's world: G groups of 10 people with an open meeting each.

Set up fast and without updates: people and chats go straight into the
emulator's records (the bot is already an admin, so it sees every message),
and the matching rows go into SQLite in bulk. What the bot then processes is
only the measured traffic.

`UpdateMix` turns a seeded random stream into user actions through the
emulator (`user_sends`, `press`): 90% plain messages, 5% replies, 3% commands,
2% button presses, each in a random group from a random member.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.emulator import TelegramEmulator
from sandbox.model import Chat, Member, Message
from storage.db import Database
from storage.timefmt import to_db

MEMBERS_PER_GROUP = 10  # one facilitator and nine members
FIRST_USER_ID = 300_000_000
FIRST_CHAT_ID = 1_009_000_000_000  # supergroup ids: -(FIRST_CHAT_ID + index)

#: The update mix of the issue, by weight.
MIX = (("text", 90), ("reply", 5), ("command", 3), ("button", 2))

#: Commands people use during a meeting: (who, text). Facilitators' document
#: commands (/report, /export) and /dynamics (answered by DM with a PNG) are
#: left out: they are seconds-scale by nature and rare, and would measure
#: matplotlib and python-docx rather than the bot.
COMMAND_MIX = (
    ("member", "/help"),
    ("member", "/agenda"),
    ("member", "/contract"),
    ("facilitator", "/herenow"),
    ("facilitator", "/members"),
    ("facilitator", "/meeting"),
)

#: A button pressed 2% of the time; the bot posts it in every group at set-up.
#: An unknown prefix reaches the stale-button fallback (a group lookup and an
#: answerCallbackQuery), the same work as a real button's authorisation.
BUTTON_LABEL = "OK"
BUTTON_DATA = "bench:press:1"

_TEXT = (
    "aku merasa minggu ini lebih ringan karena bisa cerita ke teman "
    "terima kasih sudah mendengarkan tadi rasanya lega sekali setelah bicara "
    "I felt heard today and it helped to say it out loud to the group "
    "kadang susah tidur kalau banyak pikiran tapi sekarang mulai membaik "
    "we tried the breathing exercise and it was calmer than last week "
    "saya setuju dengan yang tadi disampaikan, saya juga pernah mengalami"
)
_WORDS = _TEXT.split(" ")


@dataclass
class BenchGroup:
    index: int
    group_id: int
    meeting_id: int
    chat_id: int
    user_ids: list[int]  # the facilitator first
    chat: Chat | None = None
    last_message: Message | None = None
    button: Message | None = None

    @property
    def facilitator_id(self) -> int:
        return self.user_ids[0]


def plan_groups(count: int) -> list[BenchGroup]:
    groups = []
    for index in range(count):
        first = FIRST_USER_ID + index * MEMBERS_PER_GROUP
        groups.append(
            BenchGroup(
                index=index,
                group_id=index + 1,
                meeting_id=index + 1,
                chat_id=-(FIRST_CHAT_ID + index),
                user_ids=list(range(first, first + MEMBERS_PER_GROUP)),
            )
        )
    return groups


_SEED_SQL = (
    "INSERT INTO users(user_id, first_name, username, language_code, started_bot,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO groups(id, chat_id, title, topic, language, timezone, stage, setup_done,"
    " bot_status, can_read_messages, join_token, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO members(group_id, user_id, role, status, joined_at) VALUES (?, ?, ?, ?, ?)",
    "INSERT INTO meetings(id, group_id, seq, starts_at, ends_at, status, opened_at,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
)


async def seed_database(
    db: Database,
    groups: list[BenchGroup],
    now: datetime,
    *,
    language: str = "id",
    timezone: str = "Asia/Jakarta",
    chunk: int = 500,
) -> None:
    """Set-up groups, their people and an open meeting each, in bulk.

    Rows are built `chunk` groups at a time, so seeding 10,000 groups does not
    raise the process's memory high-water mark (the memory figure)."""
    stamp = to_db(now)
    starts, ends = to_db(now - timedelta(minutes=15)), to_db(now + timedelta(minutes=75))
    async with db.transaction():
        for first in range(0, len(groups), chunk):
            users, rows_groups, members, meetings = [], [], [], []
            for g in groups[first : first + chunk]:
                for position, user_id in enumerate(g.user_ids):
                    users.append(
                        (user_id, f"Person{position}", f"p{user_id}", language, 1, stamp, stamp)
                    )
                    role = "facilitator" if position == 0 else "member"
                    members.append((g.group_id, user_id, role, "active", stamp))
                rows_groups.append(
                    (
                        g.group_id,
                        g.chat_id,
                        f"Lingkar {g.index}",
                        f"Lingkar {g.index}",
                        language,
                        timezone,
                        "working",
                        1,
                        "administrator",
                        1,
                        f"benchtoken{g.index:08d}",
                        stamp,
                        stamp,
                    )
                )
                meetings.append((g.meeting_id, g.group_id, 1, starts, ends, "open", starts, stamp))
            for sql, rows in zip(_SEED_SQL, (users, rows_groups, members, meetings), strict=True):
                await db.executemany(sql, rows)


class World:
    """The emulator side of the bench groups; chats can be made and dropped in waves."""

    def __init__(self, emulator: TelegramEmulator, groups: list[BenchGroup]) -> None:
        self.emulator = emulator
        self.groups = groups
        #: Groups with new messages since the last trim (so a trim costs what changed).
        self.touched: set[int] = set()

    def materialise(self, groups: list[BenchGroup]) -> None:
        """Put these groups' people and chats into the emulator (no updates)."""
        emulator = self.emulator
        bot = emulator.bot
        for g in groups:
            chat = Chat(g.chat_id, "supergroup", f"Lingkar {g.index}")
            for position, user_id in enumerate(g.user_ids):
                user = emulator.users.get(user_id) or emulator.add_user(
                    f"Person{position}",
                    username=f"p{user_id}",
                    language_code="id",
                    user_id=user_id,
                )
                user.started = True
                emulator.private_chat(user)  # everyone pressed Start at intake
                chat.members[user_id] = Member(user, "creator" if position == 0 else "member")
            chat.members[bot.id] = Member(bot, "administrator")
            emulator.chats[chat.id] = chat
            g.chat = chat
            g.button = _bot_message_with_button(emulator, chat)
            g.last_message = None

    def release(self, groups: list[BenchGroup]) -> None:
        """Forget these groups' chats and people in the emulator (Telegram's memory, not ours)."""
        for g in groups:
            self.emulator.chats.pop(g.chat_id, None)
            for user_id in g.user_ids:
                self.emulator.users.pop(user_id, None)
                self.emulator.chats.pop(user_id, None)
            g.chat = g.last_message = g.button = None

    def trim(self) -> dict[int, int]:
        """Drop the emulator's history (calls, events, old messages); returns call statuses seen.

        The emulator stands in for Telegram's servers: its records must not
        count as the bot's memory nor slow the run down as they grow.
        """
        emulator = self.emulator
        statuses: dict[int, int] = {}
        for call in emulator.calls:
            statuses[call.status] = statuses.get(call.status, 0) + 1
        emulator.calls.clear()
        emulator.events.clear()
        # Only what changed: walking every group's history at each trim stopped
        # the event loop for 10-20 ms, which the latency figures then counted.
        for g in self.groups:
            if g.index not in self.touched:
                continue
            if g.chat is not None and len(g.chat.messages) > 2:
                keep = (g.button, g.last_message)
                g.chat.messages = {
                    k: m for k, m in g.chat.messages.items() if any(m is x for x in keep)
                }
            if g.last_message is not None:
                g.last_message.reply_to = None  # no chains of old messages kept alive
        self.touched.clear()
        for chat in emulator.chats.values():
            if chat.type == "private" and chat.messages:
                chat.messages.clear()
        if len(emulator.callback_queries) > 5000:
            answered = [k for k, q in emulator.callback_queries.items() if q["answer"] is not None]
            for key in answered:
                del emulator.callback_queries[key]
        return statuses


def _bot_message_with_button(emulator: TelegramEmulator, chat: Chat) -> Message:
    """A message the bot posted earlier with one inline button (as an attendance button is)."""
    message = Message(
        chat,
        chat.next_message_id,
        emulator.timestamp(),
        emulator.bot,
        True,
        text="Tekan tombol ini",
        raw="Tekan tombol ini",
        reply_markup={"inline_keyboard": [[{"text": BUTTON_LABEL, "callback_data": BUTTON_DATA}]]},
    )
    chat.next_message_id += 1
    chat.messages[message.message_id] = message
    return message


class UpdateMix:
    """A deterministic stream of user actions over some groups."""

    def __init__(self, world: World, groups: list[BenchGroup], seed: int = 9) -> None:
        self.world = world
        self.groups = groups
        self.rng = random.Random(seed)
        self.kinds = [k for k, _ in MIX]
        self.weights = [w for _, w in MIX]
        self.counts = dict.fromkeys(self.kinds, 0)

    def use(self, groups: list[BenchGroup]) -> None:
        self.groups = groups

    def text(self) -> str:
        rng = self.rng
        start = rng.randrange(len(_WORDS) - 30)
        return " ".join(_WORDS[start : start + rng.randint(3, 25)])

    def act(self) -> int | None:
        """Perform one user action; the update id it enqueued (None if the bot sees nothing)."""
        emulator = self.world.emulator
        rng = self.rng
        group = self.groups[rng.randrange(len(self.groups))]
        self.world.touched.add(group.index)
        chat = group.chat
        kind = rng.choices(self.kinds, self.weights)[0]
        before = emulator._next_update_id
        if kind == "reply" and group.last_message is None:
            kind = "text"
        if kind == "button":
            user = emulator.users[group.user_ids[rng.randrange(1, MEMBERS_PER_GROUP)]]
            emulator.press(user, group.button, data=BUTTON_DATA)
        elif kind == "command":
            who, text = COMMAND_MIX[rng.randrange(len(COMMAND_MIX))]
            user_id = (
                group.facilitator_id
                if who == "facilitator"
                else group.user_ids[rng.randrange(1, MEMBERS_PER_GROUP)]
            )
            emulator.user_sends(emulator.users[user_id], chat, text)
        else:
            user = emulator.users[group.user_ids[rng.randrange(MEMBERS_PER_GROUP)]]
            reply_to = group.last_message if kind == "reply" else None
            group.last_message = emulator.user_sends(user, chat, self.text(), reply_to=reply_to)
        self.counts[kind] += 1
        after = emulator._next_update_id
        return after - 1 if after > before else None


class EveryoneOnce:
    """Warm-up: every person of every group writes one plain line, group by group.

    A person's first line in a meeting costs a write (their name is kept for the
    attendance); from then on a line is counted in memory. Warming everyone up
    first measures the steady state, as the issue-20 method from outside does."""

    def __init__(self, world: World, groups: list[BenchGroup]) -> None:
        self.world = world
        self._queue = [(g, user_id) for g in groups for user_id in g.user_ids]
        self._next = 0

    def __len__(self) -> int:
        return len(self._queue)

    def act(self) -> int | None:
        group, user_id = self._queue[self._next % len(self._queue)]
        self._next += 1
        self.world.touched.add(group.index)
        emulator = self.world.emulator
        before = emulator._next_update_id
        group.last_message = emulator.user_sends(
            emulator.users[user_id], group.chat, "halo semuanya, aku hadir"
        )
        return before if emulator._next_update_id > before else None
