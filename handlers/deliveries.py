"""Private material for a facilitator the bot cannot reach yet.

`send_private` DMs a facilitator; if Telegram refuses (they never pressed
Start, or blocked the bot), the material waits in the database (never in the
group), and the group is asked once, naming them, to press Start through the
group's deep link. Their next /start in DM delivers everything waiting.
"""

from __future__ import annotations

import json
import logging

from telegram import InlineKeyboardMarkup, Message, Update, User
from telegram.ext import Application, CommandHandler, filters

from core.i18n import translator
from handlers.context import LingkarContext, runtime
from handlers.handler_groups import DM_TEXT
from handlers.keyboards import join_keyboard
from handlers.messaging import send_dm, send_group
from services import deliveries, people
from storage.groups import Group

log = logging.getLogger(__name__)


async def send_private(
    app: Application,
    group: Group,
    user_id: int,
    text: str,
    *,
    kind: str,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """DM a facilitator now, or keep it for them and ask them (once) to press Start."""
    sent = await send_dm(app, user_id, text, reply_markup=reply_markup)
    if sent is not None:
        return sent
    rt = runtime(app)
    markup = json.dumps(reply_markup.to_dict()) if reply_markup is not None else None
    ask = await deliveries.hold(rt.db, group.id, user_id, kind, text, markup, rt.clock.now())
    log.info("group %s: private material (%s) waits for a facilitator", group.id, kind)
    if ask:
        await _ask_to_start(app, group, user_id)
    return None


async def _ask_to_start(app: Application, group: Group, user_id: int) -> None:
    rt, t = runtime(app), translator(group.language)
    name = await people.first_name(rt, user_id)
    markup = join_keyboard(rt, group, t, "lifecycle.btn_press_start")
    await send_group(app, group, t("lifecycle.press_start", name=name), reply_markup=markup)


async def deliver_waiting(update: Update, context: LingkarContext) -> None:
    """After their /start in DM: everything kept for them, in order."""
    user: User | None = update.effective_user
    if user is None or user.is_bot:
        return
    waiting = await deliveries.waiting_for(context.db, user.id)
    await deliveries.started(context.db, user.id)
    for delivery in waiting:
        group = await people.group_by_id(context.runtime, delivery.group_id)
        still_leads = group is not None and await people.leads(context.runtime, group, user.id)
        if still_leads:
            markup = None
            if delivery.markup:
                markup = InlineKeyboardMarkup.de_json(json.loads(delivery.markup), context.bot)
            if (
                await send_dm(context.application, user.id, delivery.text, reply_markup=markup)
                is None
            ):
                return  # unreachable again (blocked at once): it keeps waiting
        # Sent, or no longer theirs to see (they stopped facilitating): gone either way.
        await deliveries.delivered(context.db, delivery)


def register(app: Application) -> None:
    # DM_TEXT runs after the commands, so the /start greeting comes first; the DM
    # text router there never matches a command.
    app.add_handler(
        CommandHandler("start", deliver_waiting, filters=filters.ChatType.PRIVATE), group=DM_TEXT
    )
