"""/agenda: members' private (by default anonymous) items, the facilitators' review,
posting to the group, and carrying open items over to the next meeting.

Anonymity is structural: an anonymous item is only ever sent to the group when
a facilitator presses "post" (never in reaction to its author), as a fresh
message (no reply, no forward), and nothing the bot sends about it, callback
data included, carries its author's id or name. Facilitators see the author
only of items whose authors chose to show their name.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from core.events import subscribe
from core.i18n import Html, Translator, translator
from domain import agenda as rules
from handlers.common import (
    answer_callback,
    group_choice,
    group_name,
    inline_keyboard,
    is_group_chat,
    is_private_chat,
    live_group,
    remember_user,
    reply,
    translator_for,
    user_translator,
)
from handlers.context import LingkarContext, runtime
from handlers.dm_router import answer_no_question, dm_flow
from handlers.group_guard import chat_presence
from handlers.handler_groups import COMMANDS
from handlers.messaging import send_dm, send_group
from services import membership
from storage import agenda as agenda_store
from storage import groups as group_store
from storage.agenda import KEEP_QUESTION_JOB, AgendaItem
from storage.dm_states import clear_dm_state, set_dm_state
from storage.groups import Group

log = logging.getLogger(__name__)


def _number(t: Translator, value: int) -> str:
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if t.language == "id" else grouped


# -- the member's own view ------------------------------------------------------------------
async def member_view(app: Application, group: Group, user_id: int):
    t = translator(group.language)
    items = await agenda_store.open_items_for_author(runtime(app).db, group.id, user_id)
    lines = [
        t(
            "agenda.item_line",
            number=n,
            text=item.text,
            visibility=t.plain(
                "agenda.visibility_anonymous" if item.anonymous else "agenda.visibility_named"
            ),
            carried=t.plain("agenda.carried_mark") if item.carried_over else "",
        )
        for n, item in enumerate(items, start=1)
    ]
    body = "\n".join(lines) if lines else t("agenda.menu_empty")
    text = t("agenda.menu", group=group_name(group), items=Html(body))
    rows = [[(t.plain("agenda.add_button"), f"ag:a:{group.id}")]]
    for n, item in enumerate(items[: rules.MAX_ITEMS_WITH_BUTTONS], start=1):
        toggle = (
            (t.plain("agenda.named_button", number=n), f"ag:v:{item.id}:n")
            if item.anonymous
            else (t.plain("agenda.anonymous_button", number=n), f"ag:v:{item.id}:a")
        )
        rows.append(
            [
                (t.plain("agenda.edit_button", number=n), f"ag:e:{item.id}"),
                (t.plain("agenda.withdraw_button", number=n), f"ag:w:{item.id}"),
            ]
        )
        rows.append([toggle])
    return text, inline_keyboard(rows)


def saved_view(t: Translator, item: AgendaItem):
    key = "agenda.saved_anonymous" if item.anonymous else "agenda.saved_named"
    toggle = (
        (t.plain("agenda.show_name_button"), f"ag:v:{item.id}:n")
        if item.anonymous
        else (t.plain("agenda.keep_anonymous_button"), f"ag:v:{item.id}:a")
    )
    rows = [
        [toggle],
        [
            (t.plain("agenda.edit_one_button"), f"ag:e:{item.id}"),
            (t.plain("agenda.withdraw_one_button"), f"ag:w:{item.id}"),
        ],
    ]
    return t(key, text=item.text), inline_keyboard(rows)


# -- the facilitators' review ---------------------------------------------------------------
async def review_view(app: Application, group: Group):
    db, t = runtime(app).db, translator(group.language)
    items = await agenda_store.open_items(db, group.id)
    if not items:
        text = t("agenda.review_empty", group=group_name(group))
        return text, inline_keyboard([[(t.plain("agenda.add_own_button"), f"ag:a:{group.id}")]])
    lines = []
    limit = rules.review_text_limit([len(i.text) for i in items])
    for n, item in enumerate(items, start=1):
        shown = item.text if limit is None else rules.preview(item.text, limit)
        marks = ""
        if item.posted_at is not None:
            marks += t.plain("agenda.mark_posted")
        if item.carried_over:
            marks += t.plain("agenda.mark_carried")
        # Only a named item has an author_name; anonymous ones never show one.
        who = item.author_name if item.author_name else t.plain("agenda.review_anonymous")
        lines.append(t("agenda.review_line", number=n, who=who, text=shown, marks=marks))
    text = t(
        "agenda.review", group=group_name(group), count=len(items), items=Html("\n".join(lines))
    )
    upcoming = rules.next_to_post(items, await agenda_store.open_meeting_id(db, group.id))
    rows = []
    if upcoming is not None:
        rows.append([(t.plain("agenda.post_button"), f"ag:p:{group.id}:{upcoming.id}")])
    for n, item in enumerate(items[: rules.MAX_ITEMS_WITH_BUTTONS], start=1):
        rows.append(
            [
                (t.plain("agenda.up_button", number=n), f"ag:u:{item.id}"),
                (t.plain("agenda.discussed_button", number=n), f"ag:d:{item.id}"),
                (t.plain("agenda.carry_button", number=n), f"ag:c:{item.id}"),
            ]
        )
    rows.append([(t.plain("agenda.add_own_button"), f"ag:a:{group.id}")])
    return text, inline_keyboard(rows)


async def _show_for(app: Application, group: Group, user_id: int, intro: str | None = None):
    """A facilitator gets the review, a member their own items. None if unreachable."""
    if await group_store.is_facilitator(runtime(app).db, group.id, user_id):
        text, markup = await review_view(app, group)
    else:
        text, markup = await member_view(app, group, user_id)
    if intro:
        text = intro + "\n\n" + text
    return await send_dm(app, user_id, text, reply_markup=markup)


# -- /agenda ----------------------------------------------------------------------------------
async def agenda_command(update: Update, context: LingkarContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if user is None or chat is None or user.is_bot:
        return
    app = context.application
    if is_group_chat(chat):
        await _agenda_in_group(update, context)
        return
    if not is_private_chat(chat):
        return
    await remember_user(context, user, started=True)
    groups = await group_store.groups_of_user(context.db, user.id)
    t = user_translator(context, user)
    if not groups:
        await reply(update, context, t("agenda.no_group"))
    elif len(groups) == 1:
        await _show_for(app, groups[0], user.id)
    else:
        markup = group_choice(groups, "ag:g")
        await reply(update, context, t("agenda.choose_group"), reply_markup=markup)


async def _agenda_in_group(update: Update, context: LingkarContext) -> None:
    """Never answered in the group itself: the agenda goes to the caller's DM."""
    user, chat = update.effective_user, update.effective_chat
    app = context.application
    t = await translator_for(update, context)
    group = await group_store.group_by_chat(context.db, chat.id)
    if group is None or not group.setup_done or not group.active:
        await reply(update, context, t("intake.join_not_setup"))
        return
    await remember_user(context, user)
    facilitator = await group_store.is_facilitator(context.db, group.id, user.id)
    if not facilitator:
        # Writing in a public group proves nothing: only Telegram's word makes a member
        # (someone there before the bot came is recorded now; a visitor is not).
        presence = await chat_presence(context, chat.id, user.id)
        now = context.clock.now()
        if not await membership.confirm(
            context.db, group.id, user.id, presence, now, vouched=False
        ):
            await reply(update, context, t("agenda.members_only"))
            return
    intro = t("agenda.pointer_dm", group=group_name(group))
    if await _show_for(app, group, user.id, intro) is not None:
        return
    if facilitator:
        await reply(
            update, context, t("agenda.facilitator_dm_failed", bot=context.runtime.bot_username)
        )
        return
    from handlers.intake import join_link

    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t.plain("intake.join_button"), url=join_link(app, group))]]
    )
    await reply(update, context, t("agenda.unreachable_in_group"), reply_markup=markup)


# -- members: add, edit, withdraw, visibility -------------------------------------------------
@dm_flow("agenda.add")
async def on_item_text(update: Update, context: LingkarContext, state) -> None:
    user, message = update.effective_user, update.effective_message
    group = await live_group(context.db, state.group_id or 0)
    if group is None or not await membership.is_active_member(context.db, group.id, user.id):
        # Gone, or no longer a member since the question was asked: nothing is stored.
        await clear_dm_state(context.db, user.id)
        await reply(update, context, user_translator(context, user)("agenda.gone"))
        return
    t = translator(group.language)
    check = rules.check_item_text(message.text)
    if not check.ok:
        await reply(update, context, _problem_text(t, check))
        return
    now = context.clock.now()
    source_key = f"{message.chat_id}:{message.message_id}"
    async with context.db.transaction():
        item, _created = await agenda_store.add_item(
            context.db, group.id, user.id, check.text, now, source_key=source_key
        )
        await set_dm_state(
            context.db,
            user.id,
            "agenda.saved",
            now,
            group_id=group.id,
            data={"source_key": source_key, "item": item.id},
        )
    text, markup = saved_view(t, item)
    await reply(update, context, text, reply_markup=markup)


@dm_flow("agenda.saved")
async def after_saving(update: Update, context: LingkarContext, state) -> None:
    """The same DM delivered again re-shows its confirmation, and editing that DM edits
    the item; anything else is a new message."""
    user, message = update.effective_user, update.effective_message
    source_key = f"{message.chat_id}:{message.message_id}"
    if state.data.get("source_key") == source_key:
        item = await agenda_store.get_item(context.db, int(state.data.get("item", 0)))
        group = await live_group(context.db, item.group_id) if item else None
        if item is None or group is None or item.author_id != user.id:
            return
        t = translator(group.language)
        if update.edited_message is not None and item.status == "open":
            check = rules.check_item_text(message.text)
            if not check.ok:
                await reply(update, context, _problem_text(t, check))
                return
            await agenda_store.edit_text(
                context.db, item.id, user.id, check.text, context.clock.now()
            )
            await reply(update, context, t("agenda.edited", text=check.text))
            return
        text, markup = saved_view(t, item)
        await reply(update, context, text, reply_markup=markup)
        return
    await clear_dm_state(context.db, user.id, "agenda.")
    await answer_no_question(update, context)


@dm_flow("agenda.edit")
async def on_edit_text(update: Update, context: LingkarContext, state) -> None:
    user, message = update.effective_user, update.effective_message
    item = await agenda_store.get_item(context.db, int(state.data.get("item", 0)))
    group = await live_group(context.db, item.group_id) if item else None
    if item is None or group is None or item.author_id != user.id or item.status != "open":
        await clear_dm_state(context.db, user.id)
        await reply(update, context, user_translator(context, user)("agenda.item_closed"))
        return
    t = translator(group.language)
    check = rules.check_item_text(message.text)
    if not check.ok:
        await reply(update, context, _problem_text(t, check))
        return
    async with context.db.transaction():
        await agenda_store.edit_text(context.db, item.id, user.id, check.text, context.clock.now())
        await clear_dm_state(context.db, user.id, "agenda.")
    await reply(update, context, t("agenda.edited", text=check.text))


def _problem_text(t: Translator, check: rules.TextCheck) -> str:
    if check.problem == "too_long":
        return t(
            "agenda.too_long",
            length=_number(t, check.length),
            limit=_number(t, rules.MAX_ITEM_CHARS),
        )
    return t("agenda.empty")


async def _own_item(update: Update, context: LingkarContext, item_id: int):
    """(item, group, t) if the presser wrote this open item, else None after a kind answer."""
    user = update.effective_user
    item = await agenda_store.get_item(context.db, item_id)
    group = await live_group(context.db, item.group_id) if item else None
    t = translator(group.language) if group else user_translator(context, user)
    if item is None or group is None:
        await answer_callback(update, t.plain("agenda.gone"), alert=True)
        return None
    if item.author_id != user.id:
        await answer_callback(update, t.plain("agenda.not_yours"), alert=True)
        return None
    if item.status != "open":
        await answer_callback(update, t.plain("agenda.item_closed"), alert=True)
        return None
    return item, group, t


async def _edit_message(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    with contextlib.suppress(BadRequest):  # unchanged, or too old to edit
        await update.callback_query.edit_message_text(text, reply_markup=markup)


async def on_agenda_button(update: Update, context: LingkarContext) -> None:
    user = update.effective_user
    parts = (update.callback_query.data or "").split(":")
    try:
        action, ref = parts[1], int(parts[2])
    except (IndexError, ValueError):
        await answer_callback(
            update, user_translator(context, user).plain("agenda.gone"), alert=True
        )
        return
    extra = parts[3] if len(parts) > 3 else ""
    if action in ("g", "a"):
        await _group_button(update, context, action, ref)
    elif action in ("e", "w", "v", "k"):
        await _member_button(update, context, action, ref, extra)
    elif action in ("p", "u", "d", "c"):
        await _facilitator_button(update, context, action, ref, extra)
    else:
        await answer_callback(
            update, user_translator(context, user).plain("agenda.gone"), alert=True
        )


async def _group_button(update: Update, context: LingkarContext, action: str, group_id: int):
    user = update.effective_user
    group = await live_group(context.db, group_id)
    member = await group_store.get_member(context.db, group_id, user.id) if group else None
    if group is None or member is None or member.status != "active":
        await answer_callback(
            update, user_translator(context, user).plain("agenda.gone"), alert=True
        )
        return
    t = translator(group.language)
    await answer_callback(update)
    if action == "g":
        await _show_for(context.application, group, user.id)
        return
    await set_dm_state(context.db, user.id, "agenda.add", context.clock.now(), group_id=group.id)
    await send_dm(
        context.application,
        user.id,
        t("agenda.add_ask", limit=_number(t, rules.MAX_ITEM_CHARS)),
    )


async def _member_button(update: Update, context: LingkarContext, action: str, item_id: int, extra):
    found = await _own_item(update, context, item_id)
    if found is None:
        return
    item, group, t = found
    user, now, app = update.effective_user, context.clock.now(), context.application
    if action == "e":
        await answer_callback(update)
        await set_dm_state(
            context.db, user.id, "agenda.edit", now, group_id=group.id, data={"item": item.id}
        )
        items = await agenda_store.open_items_for_author(context.db, group.id, user.id)
        number = next((n for n, i in enumerate(items, start=1) if i.id == item.id), 1)
        await send_dm(
            app,
            user.id,
            t("agenda.edit_ask", number=number, limit=_number(t, rules.MAX_ITEM_CHARS)),
        )
        return
    if action == "w":
        await agenda_store.withdraw(context.db, item.id, user.id, now)
        await answer_callback(update, t.plain("agenda.withdrawn"))
    elif action == "v":
        anonymous = extra != "n"
        await agenda_store.set_anonymous(context.db, item.id, user.id, anonymous, now)
        await answer_callback(
            update, t.plain("agenda.now_anonymous" if anonymous else "agenda.now_named")
        )
    elif action == "k":
        if extra == "1":
            await agenda_store.keep_item(context.db, item.id, user.id, now)
            await answer_callback(update, t.plain("agenda.kept"))
        else:
            await agenda_store.withdraw(context.db, item.id, user.id, now)
            await answer_callback(update, t.plain("agenda.withdrawn"))
    text, markup = await member_view(app, group, user.id)
    await _edit_message(update, text, markup)


async def _facilitator_button(
    update: Update, context: LingkarContext, action: str, ref: int, extra: str
):
    user, now, app = update.effective_user, context.clock.now(), context.application
    if action == "p":
        group_id = ref
    else:
        item = await agenda_store.get_item(context.db, ref)
        group_id = item.group_id if item else 0
    group = await live_group(context.db, group_id)
    t = translator(group.language) if group else user_translator(context, user)
    if group is None:
        await answer_callback(update, t.plain("agenda.gone"), alert=True)
        return
    if not await group_store.is_facilitator(context.db, group.id, user.id):
        await answer_callback(update, t.plain("agenda.not_facilitator"), alert=True)
        return
    if action == "p":
        await _post_next(update, context, group, extra)
    elif action == "u":
        items = await agenda_store.open_items(context.db, group.id)
        await agenda_store.set_positions(context.db, group.id, rules.move_up(items, ref))
        await answer_callback(update, t.plain("agenda.moved"))
    elif action == "d":
        done = await agenda_store.mark_discussed(context.db, ref, group.id, now)
        await answer_callback(
            update, t.plain("agenda.marked_discussed" if done else "agenda.item_closed")
        )
    elif action == "c":
        done = await agenda_store.carry_over_item(context.db, ref, group.id, now)
        await answer_callback(
            update, t.plain("agenda.marked_carried" if done else "agenda.item_closed")
        )
    text, markup = await review_view(app, group)
    await _edit_message(update, text, markup)


async def _post_next(update: Update, context: LingkarContext, group: Group, expected: str) -> None:
    """Post the next item, as the facilitator's act: a fresh group message, author-free."""
    t, db, app = translator(group.language), context.db, context.application
    items = await agenda_store.open_items(db, group.id)
    upcoming = rules.next_to_post(items, await agenda_store.open_meeting_id(db, group.id))
    if upcoming is None or str(upcoming.id) != expected:
        # Nothing left, or a second press on an outdated view: never post twice.
        await answer_callback(update, t.plain("agenda.nothing_to_post"))
        return
    if upcoming.anonymous or not upcoming.author_name:
        text = t("agenda.group_item_anonymous", text=upcoming.text)
    else:
        text = t("agenda.group_item_named", name=upcoming.author_name, text=upcoming.text)
    if await send_group(app, group, text) is None:
        await answer_callback(update, t.plain("agenda.post_failed"), alert=True)
        return
    await agenda_store.mark_posted(db, upcoming.id, group.id, context.clock.now())
    await answer_callback(update, t.plain("agenda.posted"))


# -- carrying over at a meeting's close -------------------------------------------------------
async def _on_meeting_closed(app: Application, group: Group, meeting, **_: object) -> None:
    rt = runtime(app)
    meeting_id = meeting.id
    now = rt.clock.now()
    async with rt.db.transaction():
        items = await agenda_store.carry_over_open_items(rt.db, group.id, meeting_id, now)
        for author_id in sorted({i.author_id for i in items}):
            if not await agenda_store.keep_question_scheduled(rt.db, meeting_id, author_id):
                await rt.scheduler.schedule(
                    KEEP_QUESTION_JOB,
                    now,
                    group_id=group.id,
                    meeting_id=meeting_id,
                    user_id=author_id,
                )


async def _ask_to_keep(app: Application, job) -> None:
    """Ask one author, privately, whether to keep their carried-over items."""
    rt = runtime(app)
    group = await live_group(rt.db, job.group_id or 0)
    if group is None or job.user_id is None:
        return
    items = [
        i
        for i in await agenda_store.open_items_for_author(rt.db, group.id, job.user_id)
        if i.carried_over
    ]
    if not items:
        return
    t = translator(group.language)
    lines = "\n".join(
        t(
            "agenda.item_line",
            number=n,
            text=i.text,
            visibility=t.plain(
                "agenda.visibility_anonymous" if i.anonymous else "agenda.visibility_named"
            ),
            carried="",
        )
        for n, i in enumerate(items, start=1)
    )
    rows = [
        [
            (t.plain("agenda.keep_button", number=n), f"ag:k:{i.id}:1"),
            (t.plain("agenda.drop_button", number=n), f"ag:k:{i.id}:0"),
        ]
        for n, i in enumerate(items, start=1)
    ]
    await send_dm(
        app,
        job.user_id,
        t("agenda.keep_question", group=group_name(group), items=Html(lines)),
        reply_markup=inline_keyboard(rows),
    )


def register(app: Application) -> None:

    app.add_handler(CommandHandler("agenda", agenda_command), group=COMMANDS)
    app.add_handler(CallbackQueryHandler(on_agenda_button, pattern=r"^ag:"), group=COMMANDS)
    subscribe(app, "meeting_closed", _on_meeting_closed)
    runtime(app).scheduler.register_kind(KEEP_QUESTION_JOB, _ask_to_keep)
