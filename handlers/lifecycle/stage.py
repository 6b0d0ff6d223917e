"""/stage: where the group is in its lifecycle, and moving it on (with warnings that
inform, never block)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update

from core.events import emit
from core.i18n import Html, Translator
from domain.stages import ORDER, Stage, next_stage, parse_stage
from handlers.common import answer_callback, reply
from handlers.context import LingkarContext
from handlers.group_guard import command_group, edit_query_message, tell_caller
from handlers.keyboards import join_keyboard, keyboard
from handlers.lifecycle.buttons import AskStageMove, CancelStageMove, ConfirmStageMove
from handlers.lifecycle.common import name_of, pressed_group
from handlers.messaging import send_group
from services import lifecycle as service
from storage.groups import Group

log = logging.getLogger(__name__)

_NEXT_WORDS = ("next", "lanjut", "berikutnya")


def stage_name(t: Translator, stage: Stage | str) -> str:
    return t.plain(f"lifecycle.stage_name.{Stage(stage).value}")


def _stage_view(
    context: LingkarContext, group: Group, t: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    current = Stage(group.stage)
    following = next_stage(current)
    text = t(
        "lifecycle.stage_view",
        name=stage_name(t, current),
        about=Html(t(f"lifecycle.stage_about.{current.value}")),
        tip=Html(t(f"lifecycle.stage_tip.{current.value}")),
    )
    if following is None:
        return f"{text}\n\n{t('lifecycle.stage_view_last')}", None
    label = t.plain("lifecycle.btn_move_to", name=stage_name(t, following))
    markup = keyboard(
        context.buttons, group.chat_id, [[(label, AskStageMove(group.ref, following.value))]]
    )
    return f"{text}\n\n{t('lifecycle.stage_view_next', name=stage_name(t, following))}", markup


async def _confirmation(
    context: LingkarContext, group: Group, t: Translator, target: Stage
) -> tuple[str, InlineKeyboardMarkup]:
    current = Stage(group.stage)
    ready, warnings = await service.move_preview(context.db, group, target)
    lines = [t("lifecycle.stage_confirm", old=stage_name(t, current), new=stage_name(t, target))]
    for warning in warnings:
        lines.append(
            t(
                f"lifecycle.warn_{warning.value}",
                members=ready.members,
                agreed=ready.agreed_contract,
                with_agenda=ready.with_agenda,
                missing=ready.members - ready.agreed_contract,
            )
        )
    if warnings:
        lines.append(t("lifecycle.stage_confirm_anyway"))
    rows = [
        [
            (
                t.plain("lifecycle.btn_move_yes"),
                ConfirmStageMove(group.ref, current.value, target.value),
            ),
            (t.plain("lifecycle.btn_move_no"), CancelStageMove(group.ref)),
        ]
    ]
    return "\n".join(lines), keyboard(context.buttons, group.chat_id, rows)


def _target(word: str, current: Stage) -> Stage | None:
    if word.lower() in _NEXT_WORDS:
        return next_stage(current)
    return parse_stage(word)


async def stage_command(update: Update, context: LingkarContext) -> None:
    found = await command_group(update, context, facilitator=True)
    if found is None:
        return
    group, t = found
    args = context.args or []
    if not args:
        text, markup = _stage_view(context, group, t)
        await reply(update, context, text, reply_markup=markup)
        return
    word = " ".join(args)
    current = Stage(group.stage)
    target = _target(word, current)
    if target is None and word.lower() in _NEXT_WORDS:
        await tell_caller(update, context, t("lifecycle.stage_at_end"))
        return
    if target is None:
        names = ", ".join(s.value for s in ORDER)
        await tell_caller(
            update, context, t("lifecycle.stage_unknown", word=word[:40], names=names)
        )
        return
    if target == current:
        await tell_caller(update, context, t("lifecycle.stage_same", name=stage_name(t, current)))
        return
    text, markup = await _confirmation(context, group, t, target)
    await reply(update, context, text, reply_markup=markup)


async def on_stage_ask(update: Update, context: LingkarContext, data: AskStageMove) -> None:
    found = await pressed_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    group, t = found
    stage = parse_stage(data.target)
    if stage is None or stage == Stage(group.stage):
        await answer_callback(update, t.plain("lifecycle.stage_stale"), alert=True)
        return
    await answer_callback(update)
    text, markup = await _confirmation(context, group, t, stage)
    await edit_query_message(update, text, markup)


async def on_stage_move(update: Update, context: LingkarContext, data: ConfirmStageMove) -> None:
    found = await pressed_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    group, t = found
    source, target = parse_stage(data.source), parse_stage(data.target)
    user = update.effective_user
    moved = (
        source is not None
        and target is not None
        and await service.move_stage(
            context.db, group, source, target, user.id, context.clock.now()
        )
    )
    if not moved:
        await answer_callback(update, t.plain("lifecycle.stage_stale"), alert=True)
        await edit_query_message(update, t("lifecycle.stage_stale"))
        return
    group = await service.group_now(context.db, group.id)
    log.info("group %s: stage %s -> %s", group.id, source.value, target.value)
    await answer_callback(update)
    names = {"old": stage_name(t, source), "new": stage_name(t, target), "by": name_of(user)}
    await edit_query_message(update, t("lifecycle.stage_moved", **names))
    app = context.application
    await send_group(app, group, t(f"lifecycle.stage_prompt.{target.value}"))
    if target == Stage.FORMING:
        markup = join_keyboard(context.runtime, group, t, "lifecycle.btn_join")
        await send_group(app, group, t("lifecycle.forming_join"), reply_markup=markup)
    await emit(app, "stage_changed", group=group, old=source.value, new=target.value, by=user.id)


async def on_stage_cancel(update: Update, context: LingkarContext, data: CancelStageMove) -> None:
    found = await pressed_group(update, context, data.group, facilitator=True)
    if found is None:
        return
    group, t = found
    await answer_callback(update)
    await edit_query_message(
        update, t("lifecycle.stage_not_moved", name=stage_name(t, group.stage))
    )
