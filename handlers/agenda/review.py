"""The facilitators' review buttons, posting an item to the group, and carrying
open items over when a meeting closes.

Posting is the facilitator's act, never a reaction to the author: a fresh group
message (no reply, no forward) that carries nothing of an anonymous author.
"""

from __future__ import annotations

from typing import NamedTuple

from telegram import Update
from telegram.ext import Application

from core.i18n import Html, Translator, translator
from handlers.agenda.buttons import CarryOver, KeepItem, MarkDiscussed, MoveUp, PostNext
from handlers.agenda.views import item_line, redraw, review_view, show_after_press
from handlers.common import answer_callback, group_name, user_translator
from handlers.context import LingkarContext, runtime
from handlers.keyboards import keyboard
from handlers.messaging import send_dm, send_group
from services import agenda as service
from services import people
from storage.agenda import AgendaItem
from storage.groups import Group

_CLOSED = "agenda.item_closed"


async def _facilitated(update: Update, context: LingkarContext, group: Group | None):
    """The translator if the presser facilitates this live group; else None, answered."""
    user = update.effective_user
    t = translator(group.language) if group else user_translator(context, user)
    if group is None:
        await answer_callback(update, t.plain("agenda.gone"), alert=True)
        return None
    if not await people.leads(context.runtime, group, user.id):
        await answer_callback(update, t.plain("agenda.not_facilitator"), alert=True)
        return None
    return t


async def on_post_next(update: Update, context: LingkarContext, data: PostNext) -> None:
    """Post the next item, as the facilitator's act: a fresh group message, author-free."""
    group = await people.live_group_by_ref(context.runtime, data.group)
    t = await _facilitated(update, context, group)
    if t is None:
        return
    upcoming = await service.next_to_post(context.runtime, group.id)
    if upcoming is None or upcoming.ref != data.item:
        # Nothing left, or a second press on an outdated view: never post twice.
        await answer_callback(update, t.plain("agenda.nothing_to_post"))
    elif upcoming.anonymous or not upcoming.author_name:
        await _post(
            update, context, group, upcoming, t("agenda.group_item_anonymous", text=upcoming.text)
        )
    else:
        text = t("agenda.group_item_named", name=upcoming.author_name, text=upcoming.text)
        await _post(update, context, group, upcoming, text)
    await redraw(update, context.runtime, review_view, group)


async def _post(
    update: Update, context: LingkarContext, group: Group, item: AgendaItem, text: str
) -> None:
    t = translator(group.language)
    if await send_group(context.application, group, text) is None:
        await answer_callback(update, t.plain("agenda.post_failed"), alert=True)
        return
    await service.mark_posted(context.runtime, group, item)
    await answer_callback(update, t.plain("agenda.posted"))


class ReviewedItem(NamedTuple):
    item: AgendaItem
    group: Group
    t: Translator


async def _item_group(update: Update, context: LingkarContext, ref: str) -> ReviewedItem | None:
    item, group, _ = await service.facilitated_group_of_item(
        context.runtime, ref, update.effective_user.id
    )
    t = await _facilitated(update, context, group)
    return ReviewedItem(item, group, t) if t is not None else None


async def _answered(update: Update, context: LingkarContext, found: ReviewedItem, key: str):
    await show_after_press(update, context.runtime, found.t.plain(key), review_view, found.group)


async def on_move_up(update: Update, context: LingkarContext, data: MoveUp) -> None:
    found = await _item_group(update, context, data.item)
    if found is not None:
        await service.move_up(context.runtime, found.group, found.item)
        await _answered(update, context, found, "agenda.moved")


async def on_discussed(update: Update, context: LingkarContext, data: MarkDiscussed) -> None:
    found = await _item_group(update, context, data.item)
    if found is not None:
        done = await service.mark_discussed(context.runtime, found.group, found.item)
        await _answered(update, context, found, "agenda.marked_discussed" if done else _CLOSED)


async def on_carry_over(update: Update, context: LingkarContext, data: CarryOver) -> None:
    found = await _item_group(update, context, data.item)
    if found is not None:
        done = await service.carry_over(context.runtime, found.group, found.item)
        await _answered(update, context, found, "agenda.marked_carried" if done else _CLOSED)


async def on_meeting_closed(app: Application, group: Group, meeting, **_: object) -> None:
    await service.carry_over_at_close(runtime(app), group.id, meeting.id)


async def ask_to_keep(app: Application, job) -> None:
    """Ask one author, privately, whether to keep their carried-over items."""
    rt = runtime(app)
    group = await people.live_group(rt, job.group_id)
    if group is None or job.user_id is None:
        return
    items = await service.carried_items_of(rt, group.id, job.user_id)
    if not items:
        return
    t = translator(group.language)
    lines = "\n".join(item_line(t, n, i, carried=False) for n, i in enumerate(items, start=1))
    rows = [
        [
            (t.plain("agenda.keep_button", number=n), KeepItem(i.ref, True)),
            (t.plain("agenda.drop_button", number=n), KeepItem(i.ref, False)),
        ]
        for n, i in enumerate(items, start=1)
    ]
    text = t("agenda.keep_question", group=group_name(group), items=Html(lines))
    await send_dm(app, job.user_id, text, reply_markup=keyboard(rt.buttons, job.user_id, rows))
