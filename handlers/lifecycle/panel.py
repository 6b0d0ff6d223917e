"""The settings panel: one message in the group, edited as the facilitator chooses."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from core.i18n import Translator
from domain import group_settings as gs
from handlers.buttons import ButtonSigner
from handlers.keyboards import keyboard
from handlers.lifecycle.buttons import AskTextSetting, ChooseSetting, FinishSetup, PanelScreen
from services.lifecycle import STYLE_CODES
from storage.groups import Group

SCREENS = ("m", "f", "s", "l", "z")
_TZ_KEYS = {"Asia/Jakarta": "tz_wib", "Asia/Makassar": "tz_wita", "Asia/Jayapura": "tz_wit"}


def _format_text(group: Group, t: Translator) -> str:
    if group.format == "single":
        return t.plain("lifecycle.format_single")
    return t.plain("lifecycle.format_series", n=group.meetings_planned)


def settings_summary(group: Group, t: Translator) -> str:
    return t(
        "lifecycle.settings_summary",
        topic=group.topic or group.title,
        goal=group.goal or t.plain("lifecycle.goal_none"),
        format=_format_text(group, t),
        style=t.plain(f"lifecycle.style_name.{group.style}"),
        language=t.plain(f"lifecycle.language_name.{group.language}"),
        timezone=group.timezone,
    )


def _choices(group: Group, t: Translator, screen: str) -> list[list[tuple[str, object]]]:
    g = group.ref
    if screen == "f":
        series = [
            (t.plain("lifecycle.btn_series", n=n), ChooseSetting(g, "f", str(n)))
            for n in gs.SERIES_CHOICES
        ]
        return [series, [(t.plain("lifecycle.btn_single"), ChooseSetting(g, "f", "single"))]]
    if screen == "s":
        return [
            [(t.plain(f"lifecycle.style_name.{style}"), ChooseSetting(g, "s", code))]
            for code, style in STYLE_CODES.items()
        ]
    if screen == "l":
        return [
            [(t.plain(f"lifecycle.language_name.{lang}"), ChooseSetting(g, "l", lang))]
            for lang in gs.LANGUAGES
        ]
    return [
        [(t.plain(f"lifecycle.{_TZ_KEYS[zone]}"), ChooseSetting(g, "z", str(index)))]
        for index, zone in enumerate(gs.COMMON_TIMEZONES)
    ]


_SCREEN_TITLES = {
    "f": "lifecycle.screen_format",
    "s": "lifecycle.screen_style",
    "l": "lifecycle.screen_language",
    "z": "lifecycle.screen_timezone",
}


def render_panel(
    group: Group, t: Translator, signer: ButtonSigner, screen: str = "m"
) -> tuple[str, InlineKeyboardMarkup]:
    """The panel's text and buttons (signed for the group's chat)."""
    g = group.ref
    if screen in _SCREEN_TITLES:
        back = [(t.plain("lifecycle.btn_back"), PanelScreen(g, "m"))]
        rows = [*_choices(group, t, screen), back]
        return t(_SCREEN_TITLES[screen]), keyboard(signer, group.chat_id, rows)
    title = t("lifecycle.panel_title") if group.setup_done else t("lifecycle.panel_title_setup")
    hint = t("lifecycle.panel_hint") if group.setup_done else t("lifecycle.panel_hint_setup")
    rows = [
        [
            (t.plain("lifecycle.btn_topic"), AskTextSetting(g, "topic")),
            (t.plain("lifecycle.btn_goal"), AskTextSetting(g, "goal")),
        ],
        [
            (t.plain("lifecycle.btn_format"), PanelScreen(g, "f")),
            (t.plain("lifecycle.btn_style"), PanelScreen(g, "s")),
        ],
        [
            (t.plain("lifecycle.btn_language"), PanelScreen(g, "l")),
            (t.plain("lifecycle.btn_timezone"), PanelScreen(g, "z")),
        ],
    ]
    if not group.setup_done:
        rows.append([(t.plain("lifecycle.btn_done"), FinishSetup(g))])
    text = "\n\n".join((title, settings_summary(group, t), hint))
    return text, keyboard(signer, group.chat_id, rows)
