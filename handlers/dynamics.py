"""Group dynamics: participation counting, /dynamics, silence prompts, the coach's tick.

Counting runs on every group message during an open meeting, before commands,
and never swallows an update. It keeps numbers and ids only: the text is read
for its word count and its @mentions and then dropped with the update.

Counting rules (also in the README):
- a counted message is a new group message from a person while the group has
  an open meeting; edits are not counted again; commands to the bot, service
  messages (joins, pins, title changes), bots and the bot itself are not counted;
- stickers and media count as one message with 0 words;
- a forwarded message counts as a message (with its words) but never as an
  exchange: the person passed something on, they did not address anyone;
- anonymous admins (who post as the group itself) are counted together under
  one pseudo-person, "Facilitators (anonymous)", treated as a facilitator;
- a reply to another person's message, or an @mention / text mention of a
  group member, is an exchange from the sender to that person (once per person
  per message); replies to bots or to oneself are not.

Writes are batched: the in-memory counts are written every [dynamics]
flush_seconds (with a real clock; under the fake clock of tests and the demo
right after the update is handled), at meeting end, and at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageEntityType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from core.events import subscribe
from core.i18n import translator
from domain.dynamics import (
    FACILITATOR_ROLES,
    MeetingTally,
    close_silences,
    group_silence_prompt_due,
)
from handlers import coach, dynamics_report, prompts
from handlers.common import (
    ANONYMOUS_ADMIN_ID,
    answer_callback,
    group_choice,
    is_group_chat,
    reply,
    translator_for,
    user_translator,
)
from handlers.context import LingkarContext, on_start, on_stop, runtime
from handlers.handler_groups import COMMANDS, COUNTING
from handlers.messaging import send_dm
from storage import groups as group_store
from storage import participation as store
from storage.groups import Group
from storage.participation import OpenMeeting, RosterEntry

log = logging.getLogger(__name__)

SERVICE = "dynamics"
TICK = "dynamics.tick"
TICK_EVERY = timedelta(seconds=60)
#: Meetings written per transaction in a flush.
FLUSH_CHUNK_MEETINGS = 100
#: Meetings checked between two turns of the event loop in a tick.
TICK_YIELD_EVERY = 50
ROSTER_REFRESH = timedelta(minutes=5)
CALLBACK_PREFIX = "dy"

#: Message fields that make a message "content" (a sticker, photo, poll...)
#: rather than a service message (a join, a pin, a new title).
_CONTENT_FIELDS = (
    "sticker",
    "photo",
    "animation",
    "video",
    "video_note",
    "voice",
    "audio",
    "document",
    "contact",
    "location",
    "venue",
    "poll",
    "dice",
    "game",
    "story",
    "paid_media",
)


class MeetingCount:
    """One open meeting being counted."""

    __slots__ = (
        "meeting_id",
        "group_id",
        "chat_id",
        "tally",
        "usernames",
        "last_prompt_at",
        "roster",
        "roster_at",
        "state",
    )

    def __init__(self, meeting_id: int, group_id: int, chat_id: int, opened_at: datetime) -> None:
        self.meeting_id = meeting_id
        self.group_id = group_id
        self.chat_id = chat_id
        self.tally = MeetingTally(opened_at)
        self.usernames: dict[str, int] = {}
        self.last_prompt_at: datetime | None = None
        self.roster: list[RosterEntry] = []
        self.roster_at: datetime | None = None
        #: The group's state as the last tick read it (stage, switches, presence).
        self.state: OpenMeeting | None = None


class DynamicsCounter:
    """The in-memory counts of every open meeting and their write buffer."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.by_chat: dict[int, MeetingCount] = {}
        self.by_meeting: dict[int, MeetingCount] = {}
        #: People who used /forgetme while this process runs: never counted again.
        self.forgotten: set[int] = set()
        self._flush_pending = False
        self._flush_task: asyncio.Task | None = None
        #: One flush at a time: a flush writes in several transactions, and a
        #: second one (or a meeting's final write) between its chunks would be
        #: overwritten by the older values still to come.
        self._flushing = asyncio.Lock()
        self._sleeping = False

    # -- counting (hot path: no I/O) -------------------------------------------------------
    def count(self, message: Message) -> bool:
        """Count one group message; True if it counted."""
        meeting = self.by_chat.get(message.chat_id)
        if meeting is None:
            return False
        chat_id = message.chat_id
        if message.sender_chat is not None:
            if message.sender_chat.id != chat_id or message.is_automatic_forward:
                return False  # a channel speaking, not a person in the group
            sender = ANONYMOUS_ADMIN_ID
        else:
            user = message.from_user
            if user is None or user.is_bot:
                return False
            sender = user.id
        at = message.date
        tally = meeting.tally
        tally.touch(at)  # any word from a person breaks the group's silence
        if sender in self.forgotten:
            return False
        text = message.text
        if text is not None:
            if text.startswith("/") and _is_command(message):
                return False
            words = len(text.split())
        elif any(getattr(message, name, None) for name in _CONTENT_FIELDS):
            words = 0
        else:
            return False  # a service message
        if message.forward_origin is not None:
            targets: list[int] = []
        else:
            targets = self._targets(meeting, message, sender)
        tally.record(sender, at, words, targets)
        if sender != ANONYMOUS_ADMIN_ID and message.from_user.username:
            meeting.usernames[message.from_user.username.lower()] = sender
        self.request_flush()
        return True

    def _targets(self, meeting: MeetingCount, message: Message, sender: int) -> list[int]:
        targets: list[int] = []
        replied = message.reply_to_message
        if replied is not None and not _is_topic_root(message, replied):
            target = _author(replied, message.chat_id)
            if target is not None and target != sender and target not in self.forgotten:
                targets.append(target)
        text = message.text if message.text is not None else message.caption
        for entity in message.entities or message.caption_entities:
            kind = entity.type
            if kind == MessageEntityType.TEXT_MENTION:
                person = entity.user
                target = None if person is None or person.is_bot else person.id
            elif kind == MessageEntityType.MENTION and text:
                target = meeting.usernames.get(_entity_text(text, entity)[1:].lower())
            else:
                continue
            if (
                target is not None
                and target != sender
                and target not in targets
                and target not in self.forgotten
            ):
                targets.append(target)
        return targets

    # -- writing --------------------------------------------------------------------------
    def request_flush(self) -> None:
        """Write soon: after [dynamics] flush_seconds with a real clock, else at once.

        With a real clock the timer is a plain asyncio task, so a shutdown does not
        wait out the interval: the stop hook cancels the sleeping timer and writes.
        Under a fake clock it is an Application task, so the harness's settle waits
        for the write and tests see the counts at once."""
        if self._flush_pending:
            return
        self._flush_pending = True
        if runtime(self.app).clock.is_real:
            self._flush_task = asyncio.get_running_loop().create_task(
                self._flush_soon(), name="dynamics:flush"
            )
        else:
            self.app.create_task(self._flush_soon(), name="dynamics:flush")

    async def _flush_soon(self) -> None:
        rt = runtime(self.app)
        self._sleeping = True
        try:
            await asyncio.sleep(rt.settings.dynamics.flush_seconds if rt.clock.is_real else 0)
        except asyncio.CancelledError:
            return  # shutting down: the stop hook writes everything
        finally:
            self._sleeping = False
            self._flush_pending = False
        await self.flush()

    async def stop(self) -> None:
        """Shutdown: stop the timer (never mid-write) and write what is left."""
        task, self._flush_task = self._flush_task, None
        if task is not None and not task.done():
            if self._sleeping:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.flush()

    async def flush(self) -> None:
        """Write every changed count: FLUSH_CHUNK_MEETINGS meetings per transaction.

        One transaction for a thousand meetings held the database (and the
        event loop, turning them into rows) for 10-20 ms; in chunks, members'
        commands write and the loop runs in between (bench/README.md,
        finding 11).
        """
        # Taken even with nothing dirty: a caller that wants everything written
        # (a meeting's final figures, a report) waits for a flush under way.
        async with self._flushing:
            if any(m.tally.dirty_people or m.tally.dirty_edges for m in self.by_meeting.values()):
                await self._flush_now()

    async def _flush_now(self) -> None:
        db = runtime(self.app).db
        if not db.connected:
            return
        taken = []
        for meeting in list(self.by_meeting.values()):
            tally = meeting.tally
            if not tally.dirty_people and not tally.dirty_edges:
                continue
            people = {u: tally.people[u] for u in tally.dirty_people if u in tally.people}
            edges = {k: tally.edges[k] for k in tally.dirty_edges if k in tally.edges}
            tally.dirty_people, tally.dirty_edges = set(), set()
            taken.append((meeting, people, edges))
        written = 0
        try:
            for written in range(0, len(taken), FLUSH_CHUNK_MEETINGS):
                async with db.transaction():
                    # Who was forgotten is read inside the transaction: a /forgetme
                    # deletion either came before (and is filtered out here) or
                    # waits for this commit, so a flush never brings counts back.
                    forgotten = self.forgotten
                    chunk = [
                        (
                            meeting.meeting_id,
                            {u: c for u, c in people.items() if u not in forgotten},
                            {
                                k: n
                                for k, n in edges.items()
                                if k[0] not in forgotten and k[1] not in forgotten
                            },
                        )
                        for meeting, people, edges in taken[
                            written : written + FLUSH_CHUNK_MEETINGS
                        ]
                    ]
                    await store.save_counts_many(db, chunk)
            written = len(taken)
        except BaseException as error:
            for meeting, people, edges in taken[written:]:  # keep them for the next flush
                meeting.tally.dirty_people.update(people)
                meeting.tally.dirty_edges.update(edges)
            if not isinstance(error, Exception):
                raise
            log.exception("dynamics: writing participation counts failed; will retry")

    # -- which meetings are open -------------------------------------------------------------
    def _add(self, state: OpenMeeting, people, edges, usernames, last_prompt_at) -> None:
        meeting = MeetingCount(state.meeting_id, state.group_id, state.chat_id, state.opened_at)
        meeting.state = state
        meeting.tally.people.update(people)
        meeting.tally.edges.update(edges)
        last = max((c.last_message_at for c in people.values() if c.last_message_at), default=None)
        if last is not None:
            meeting.tally.touch(last)
        meeting.usernames = usernames
        meeting.last_prompt_at = last_prompt_at
        self.by_meeting[state.meeting_id] = meeting
        self.by_chat[state.chat_id] = meeting
        runtime(self.app).scheduler.resume(TICK)

    async def track(
        self, meeting_id: int, group_id: int, chat_id: int, opened_at: datetime
    ) -> None:
        """A meeting just opened (or was found open): count it from now on."""
        if meeting_id in self.by_meeting:
            return
        db = runtime(self.app).db
        people, edges = await store.load_counts(db, meeting_id)
        self._add(
            OpenMeeting(meeting_id, group_id, chat_id, opened_at),
            people,
            edges,
            await store.usernames(db, group_id),
            await store.last_silence_prompt(db, group_id),
        )

    async def untrack(self, meeting_id: int, closed_at: datetime | None) -> None:
        """Meeting over: write everything, then the final longest silences."""
        meeting = self.by_meeting.get(meeting_id)
        if meeting is None:
            return
        await self.flush()
        self.by_meeting.pop(meeting_id, None)
        if self.by_chat.get(meeting.chat_id) is meeting:
            del self.by_chat[meeting.chat_id]
        if closed_at is not None and meeting.tally.people:
            silences = close_silences(meeting.tally.people, meeting.tally.opened_at, closed_at)
            await store.set_longest_silences(runtime(self.app).db, meeting_id, silences)
        if closed_at is None:
            coach.meeting_dropped(self.app, meeting_id)
        else:
            await coach.meeting_over(self.app, meeting_id, meeting.group_id, closed_at)

    async def sync(self) -> None:
        """Follow the meetings table in one query: the meetings feature closes a
        meeting before it announces meeting_closed (that comes after the summary),
        so a meeting no longer open stops being counted here within one tick; the
        groups' stage and switches are refreshed on the way."""
        db = runtime(self.app).db
        current = {m.meeting_id: m for m in await store.open_meetings(db)}
        for meeting_id in [m for m in self.by_meeting if m not in current]:
            await self.untrack(meeting_id, await store.closed_at(db, meeting_id))
        for state in current.values():
            known = self.by_meeting.get(state.meeting_id)
            if known is None:
                await self.track(state.meeting_id, state.group_id, state.chat_id, state.opened_at)
                known = self.by_meeting[state.meeting_id]
            elif known.chat_id != state.chat_id:  # moved to a supergroup meanwhile
                self.moved(known.chat_id, state.chat_id)
            known.state = state
        if not self.by_meeting:
            # Nothing to watch: under a fake clock, fast-forwarding skips the tick.
            runtime(self.app).scheduler.pause(TICK)

    async def restore(self) -> None:
        """At start: every open meeting and its counts so far, in a few queries."""
        db = runtime(self.app).db
        states = await store.open_meetings(db)
        if states:
            counts = await store.open_counts(db)
            names = await store.open_usernames(db)
            prompted = await store.open_silence_prompts(db)
            for state in states:
                people, edges = counts.get(state.meeting_id, ({}, {}))
                self._add(
                    state,
                    people,
                    edges,
                    names.get(state.group_id, {}),
                    prompted.get(state.group_id),
                )
            log.info("dynamics: counting %d open meeting(s)", len(self.by_meeting))
        else:
            runtime(self.app).scheduler.pause(TICK)

    async def refresh_rosters(self, now: datetime) -> None:
        """Who is in each group (for the coach): all groups in one query, every few minutes."""
        if all(
            m.roster_at is not None and now - m.roster_at < ROSTER_REFRESH
            for m in self.by_meeting.values()
        ):
            return
        rosters = await store.open_rosters(runtime(self.app).db)
        for meeting in self.by_meeting.values():
            meeting.roster = rosters.get(meeting.group_id, [])
            meeting.roster_at = now

    def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        meeting = self.by_chat.pop(old_chat_id, None)
        if meeting is not None:
            meeting.chat_id = new_chat_id
            self.by_chat[new_chat_id] = meeting

    async def forget(self, user_id: int) -> None:
        """/forgetme: out of memory first, then out of storage."""
        self.forgotten.add(user_id)
        for meeting in self.by_meeting.values():
            meeting.tally.forget(user_id)
            for name in [n for n, u in meeting.usernames.items() if u == user_id]:
                del meeting.usernames[name]
            meeting.roster = [e for e in meeting.roster if e.user_id != user_id]
        await self.flush()
        await store.delete_user_counts(runtime(self.app).db, user_id)


def _entity_text(text: str, entity) -> str:
    """The entity's text; offsets are UTF-16 units, which equal str indexes for ASCII."""
    if text.isascii():
        return text[entity.offset : entity.offset + entity.length]
    encoded = text.encode("utf-16-le")
    return encoded[2 * entity.offset : 2 * (entity.offset + entity.length)].decode("utf-16-le")


def _is_command(message: Message) -> bool:
    entities = message.entities
    return bool(
        entities and entities[0].type == MessageEntityType.BOT_COMMAND and entities[0].offset == 0
    )


def _is_topic_root(message: Message, replied: Message) -> bool:
    """In forum topics every message "replies" to the topic's first message."""
    return replied.forum_topic_created is not None or (
        bool(message.is_topic_message) and replied.message_id == message.message_thread_id
    )


def _author(replied: Message, chat_id: int) -> int | None:
    if replied.sender_chat is not None:
        return ANONYMOUS_ADMIN_ID if replied.sender_chat.id == chat_id else None
    person = replied.from_user
    if person is None or person.is_bot:
        return None
    return person.id


def counter(app: Application) -> DynamicsCounter:
    return runtime(app).services[SERVICE]


# -- handlers ----------------------------------------------------------------------------------
async def count_message(update: Update, context: LingkarContext) -> None:
    message = update.message
    if message is not None:
        counter(context.application).count(message)


async def dynamics_command(update: Update, context: LingkarContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return
    if is_group_chat(chat):
        group = await group_store.group_by_chat(context.db, chat.id)
        t = await translator_for(update, context)
        if group is None or not await group_store.is_facilitator(context.db, group.id, user.id):
            await reply(update, context, t("dynamics.only_facilitators"))
            return
        if not await send_report(context.application, group, user.id):
            # Nothing of the report in the group: only a neutral request to start the bot.
            await reply(
                update,
                context,
                t(
                    "dynamics.start_bot_first",
                    name=user.first_name,
                    bot=context.runtime.bot_username,
                ),
            )
        return
    t = user_translator(context, user)
    groups = await group_store.groups_of_user(context.db, user.id, roles=FACILITATOR_ROLES)
    if not groups:
        await reply(update, context, t("dynamics.no_groups"))
    elif len(groups) == 1:
        await send_report(context.application, groups[0], user.id)
    else:
        markup = group_choice(groups, f"{CALLBACK_PREFIX}:g")
        await reply(update, context, t("dynamics.choose_group"), reply_markup=markup)


async def dynamics_button(update: Update, context: LingkarContext) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    t = user_translator(context, user)
    # dy:g:<group> shows the report; dy:s:<group>:<0|1> switches silence prompts.
    action, *args = (query.data or "").split(":")[1:] or [""]
    raw_id = args[0] if args else ""
    group = (
        await group_store.group_by_id(context.db, int(raw_id))
        if action in ("g", "s") and raw_id.isdigit()
        else None
    )
    if group is None or not group.active:
        await answer_callback(update, t.plain("dynamics.group_gone"), alert=True)
        return
    if not await group_store.is_facilitator(context.db, group.id, user.id):
        await answer_callback(update, t.plain("dynamics.wrong_person"), alert=True)
        return
    if action == "g":
        await answer_callback(update)
        await send_report(context.application, group, user.id)
        return
    switch_on = len(args) > 1 and args[1] == "1"
    await group_store.update_group(
        context.db, group.id, context.clock.now(), silence_prompts=int(switch_on)
    )
    group_t = translator(group.language)
    minutes = context.settings.dynamics.group_silence_minutes
    await answer_callback(update)
    # A fresh message with the switch in its new position (each button names the
    # state it sets, so pressing an older one again is harmless).
    await send_dm(
        context.application,
        user.id,
        group_t("dynamics.silence_now_on", minutes=minutes)
        if switch_on
        else group_t("dynamics.silence_now_off"),
        reply_markup=silence_markup(group_t, group.id, switch_on),
    )


def silence_markup(t, group_id: int, on: bool) -> InlineKeyboardMarkup:
    """The report's switch for this group's silence prompts."""
    label = t.plain("dynamics.silence_on_button" if on else "dynamics.silence_off_button")
    data = f"{CALLBACK_PREFIX}:s:{group_id}:{0 if on else 1}"
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])


async def send_report(app: Application, group: Group, user_id: int) -> bool:
    """The report and its picture to one facilitator in private; False if unreachable."""
    rt = runtime(app)
    await counter(app).flush()
    t = translator(group.language)
    text, chart = await dynamics_report.build(rt.db, group, rt.clock.now(), t)
    markup = silence_markup(t, group.id, group.silence_prompts)
    if await send_dm(app, user_id, text, reply_markup=markup) is None:
        return False
    if chart is not None:
        from services.reports.dynamics_chart import render_png

        picture = await asyncio.to_thread(render_png, chart)
        try:
            await app.bot.send_photo(user_id, picture)
        except TelegramError as exc:
            log.warning("dynamics: picture not sent (%s)", type(exc).__name__)
    return True


# -- live: group silence and the process coach --------------------------------------------------
async def tick(app: Application, now: datetime) -> None:
    """Every minute: one query for the open meetings and their groups' state (and,
    every few minutes, one for the rosters); the checks themselves are in memory.
    A group row is read only when a prompt or a suggestion is actually due."""
    dynamics = counter(app)
    await dynamics.sync()
    if not dynamics.by_meeting:
        return
    await dynamics.refresh_rosters(now)
    await coach.coach(app).begin_tick()
    settings = runtime(app).settings.dynamics
    for checked, meeting in enumerate(list(dynamics.by_meeting.values()), start=1):
        if checked % TICK_YIELD_EVERY == 0:
            # A thousand meetings' checks in one go held the event loop for
            # tens of milliseconds; members' messages wait for no tick.
            await asyncio.sleep(0)
        state = meeting.state
        # A bot that cannot read the group's messages would see everyone as silent.
        if state is None or not state.active or not state.can_read_messages:
            continue
        try:
            await _check_silence(app, state, meeting, now, settings)
            await _check_coach(app, state, meeting, now)
        except Exception:
            log.exception("dynamics: tick failed for meeting %s", meeting.meeting_id)
    await dynamics.flush()


async def _check_silence(
    app: Application, state: OpenMeeting, meeting: MeetingCount, now, settings
):
    if not state.silence_prompts:
        return
    if not group_silence_prompt_due(
        meeting.tally.last_activity_at,
        meeting.last_prompt_at,
        now,
        silence=timedelta(minutes=settings.group_silence_minutes),
        every=timedelta(minutes=settings.silence_prompt_every_minutes),
    ):
        return
    meeting.last_prompt_at = now  # once per interval even if posting fails
    group = await group_store.group_by_id(runtime(app).db, meeting.group_id)
    if group is not None and group.active and group.silence_prompts:
        await prompts.post_prompt(app, group, cause="silence", meeting_id=meeting.meeting_id)


async def _check_coach(app: Application, state: OpenMeeting, meeting: MeetingCount, now) -> None:
    tally = meeting.tally
    await coach.check(
        app,
        meeting_id=meeting.meeting_id,
        group_id=meeting.group_id,
        opened_at=tally.opened_at,
        stage=state.stage,
        style=state.style,
        roster=meeting.roster,
        people=tally.people,
        edges=tally.edges,
        last_activity_at=tally.last_activity_at,
        now=now,
    )


# -- events and wiring --------------------------------------------------------------------------
async def _on_meeting_opened(app: Application, *, group, meeting, **_) -> None:
    opened_at = getattr(meeting, "opened_at", None) or runtime(app).clock.now()
    await counter(app).track(meeting.id, group.id, group.chat_id, opened_at)


async def _on_meeting_closed(app: Application, *, group, meeting, **_) -> None:
    closed_at = getattr(meeting, "closed_at", None) or runtime(app).clock.now()
    await counter(app).untrack(meeting.id, closed_at)


async def _on_meeting_cancelled(app: Application, *, group, meeting, **_) -> None:
    await counter(app).untrack(meeting.id, None)


async def _on_group_migrated(app: Application, *, old_chat_id, new_chat_id, **_) -> None:
    counter(app).moved(old_chat_id, new_chat_id)


async def _on_member_forgotten(app: Application, *, user_id, **_) -> None:
    await counter(app).forget(user_id)


async def _restore(app: Application) -> None:
    await counter(app).restore()


async def _flush_at_stop(app: Application) -> None:
    await counter(app).stop()


def register(app: Application) -> None:

    rt = runtime(app)
    rt.services[SERVICE] = DynamicsCounter(app)
    # Its own handler group (see handlers/__init__.py): no tracker shadows the counter.
    app.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.GROUPS, count_message),
        group=COUNTING,
    )
    app.add_handler(CommandHandler("dynamics", dynamics_command), group=COMMANDS)
    app.add_handler(
        CallbackQueryHandler(dynamics_button, pattern=rf"^{CALLBACK_PREFIX}:"), group=COMMANDS
    )
    subscribe(app, "meeting_opened", _on_meeting_opened)
    subscribe(app, "meeting_closed", _on_meeting_closed)
    subscribe(app, "meeting_cancelled", _on_meeting_cancelled)
    subscribe(app, "group_migrated", _on_group_migrated)
    subscribe(app, "member_forgotten", _on_member_forgotten)
    on_start(app, _restore)
    on_stop(app, _flush_at_stop)
    rt.scheduler.every(TICK, TICK_EVERY, tick)
