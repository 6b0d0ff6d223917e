"""Stages, contract, size rule and settings parsing: pure rules, no Telegram."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import contract, group_settings
from domain.group_rules import SizeWarning, in_target, size_state, size_warning_on_change
from domain.stages import (
    ORDER,
    PROMPT_STAGE,
    GroupReadiness,
    MoveWarning,
    Stage,
    move_warnings,
    next_stage,
    parse_stage,
)

READY = GroupReadiness(members=8, agreed_contract=8, with_agenda=8)


def test_stage_values_are_the_public_names():
    assert [s.value for s in ORDER] == [
        "pre",
        "forming",
        "transition",
        "working",
        "termination",
        "post",
    ]


def test_next_stage_walks_the_order_and_stops_at_post():
    assert next_stage(Stage.PRE) == Stage.FORMING
    assert next_stage(Stage.TERMINATION) == Stage.POST
    assert next_stage(Stage.POST) is None


@pytest.mark.parametrize(
    ("typed", "stage"),
    [
        ("working", Stage.WORKING),
        (" Working ", Stage.WORKING),
        ("peralihan", Stage.TRANSITION),
        ("kerja", Stage.WORKING),
        ("pasca", Stage.POST),
        ("POST", Stage.POST),
    ],
)
def test_parse_stage_accepts_names_and_indonesian_aliases(typed, stage):
    assert parse_stage(typed) == stage


@pytest.mark.parametrize("typed", ["", "next", "workin", "stage", "6"])
def test_parse_stage_rejects_unknown_words(typed):
    assert parse_stage(typed) is None


def test_a_ready_group_moves_on_without_warnings():
    for current in ORDER[:-1]:
        assert move_warnings(current, next_stage(current), READY) == ()


def test_working_with_few_agenda_items_warns():
    thin = GroupReadiness(members=8, agreed_contract=8, with_agenda=3)
    assert move_warnings(Stage.TRANSITION, Stage.WORKING, thin) == (MoveWarning.AGENDA_THIN,)
    half = GroupReadiness(members=8, agreed_contract=8, with_agenda=4)
    assert move_warnings(Stage.TRANSITION, Stage.WORKING, half) == ()


def test_contract_not_agreed_warns_from_transition_on():
    open_contract = GroupReadiness(members=6, agreed_contract=5, with_agenda=6)
    assert MoveWarning.CONTRACT_OPEN in move_warnings(
        Stage.FORMING, Stage.TRANSITION, open_contract
    )
    assert MoveWarning.CONTRACT_OPEN not in move_warnings(Stage.PRE, Stage.FORMING, open_contract)


def test_forming_with_fewer_than_four_members_warns():
    small = GroupReadiness(members=3, agreed_contract=3, with_agenda=3)
    assert move_warnings(Stage.PRE, Stage.FORMING, small) == (MoveWarning.FEW_MEMBERS,)
    large = GroupReadiness(members=13, agreed_contract=13, with_agenda=13)
    assert move_warnings(Stage.PRE, Stage.FORMING, large) == (MoveWarning.MANY_MEMBERS,)
    assert move_warnings(Stage.WORKING, Stage.TERMINATION, large) == ()


def test_skipping_and_going_back_warn():
    assert MoveWarning.SKIPS in move_warnings(Stage.PRE, Stage.WORKING, READY)
    assert move_warnings(Stage.WORKING, Stage.FORMING, READY) == (MoveWarning.BACKWARDS,)
    assert move_warnings(Stage.WORKING, Stage.WORKING, READY) == (MoveWarning.SAME,)


def test_every_stage_has_a_prompt_bank_stage():
    assert set(PROMPT_STAGE) == set(Stage)
    assert PROMPT_STAGE[Stage.PRE] == Stage.FORMING
    assert PROMPT_STAGE[Stage.POST] == Stage.TERMINATION


@given(st.integers(0, 40))
def test_size_state_matches_the_rule(count):
    state = size_state(count)
    if count < 4:
        assert state == SizeWarning.TOO_SMALL
    elif count > 12:
        assert state == SizeWarning.TOO_LARGE
    else:
        assert state is None


def test_size_warning_only_when_crossing_a_limit():
    assert size_warning_on_change(12, 13) == SizeWarning.TOO_LARGE
    assert size_warning_on_change(13, 14) is None
    assert size_warning_on_change(4, 3) == SizeWarning.TOO_SMALL
    assert size_warning_on_change(3, 2) is None
    assert size_warning_on_change(2, 3) is None  # a new group filling up
    assert in_target(9) and not in_target(11)


def test_contract_principles_cover_the_asas_and_the_one_limit():
    assert contract.PRINCIPLES[0] == "confidentiality"
    assert contract.PRINCIPLES[1] == "safety_limit"
    for key in (
        "voluntariness",
        "openness",
        "participation",
        "respect",
        "independence",
        "outside_relationships",
        "time",
    ):
        assert key in contract.PRINCIPLES


def test_contract_rules_are_checked():
    assert contract.check_new_rule("  ", 0) == contract.RuleProblem.EMPTY
    assert contract.check_new_rule("x" * 301, 0) == contract.RuleProblem.TOO_LONG
    assert (
        contract.check_new_rule("Cameras on", contract.MAX_RULES) == contract.RuleProblem.TOO_MANY
    )
    assert contract.check_new_rule("Cameras on", 3) is None
    assert contract.clean_rule("  Cameras\n on  ") == "Cameras on"
    assert contract.parse_rule_number("2", 3) == 2
    assert contract.parse_rule_number("#1", 3) == 1
    for bad in ("0", "4", "x", "", "-1"):
        assert contract.parse_rule_number(bad, 3) is None


def test_consent_summary_keeps_member_order():
    summary = contract.consent_summary([5, 3, 9], {9, 5, 42})
    assert summary.agreed == (5, 9)
    assert summary.not_agreed == (3,)
    assert not summary.everyone_agreed
    assert contract.consent_summary([1], {1}).everyone_agreed


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Asia/Makassar", "Asia/Makassar"),
        ("asia/jayapura", "Asia/Jayapura"),
        ("WITA", "Asia/Makassar"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),
        ("Mars/Base", None),
        ("", None),
        ("../etc", None),
    ],
)
def test_timezones_are_read_kindly(typed, zone):
    assert group_settings.parse_timezone(typed) == zone


def test_meetings_between_one_and_twenty():
    assert group_settings.parse_meetings("8") == 8
    assert group_settings.parse_meetings("20") == 20
    for bad in ("0", "21", "eight", "", "-3"):
        assert group_settings.parse_meetings(bad) is None


@given(st.text(max_size=600))
def test_clean_text_is_one_bounded_line_or_none(text):
    cleaned = group_settings.clean_text(text, 120)
    if cleaned is not None:
        assert 0 < len(cleaned) <= 120
        assert "\n" not in cleaned


def test_style_and_language_words():
    assert group_settings.parse_style("Suportif") == "supportive"
    assert group_settings.parse_style("interactional") == "interactional"
    assert group_settings.parse_style("harsh") is None
    assert group_settings.parse_language("English") == "en"
    assert group_settings.parse_language("id") == "id"
    assert group_settings.parse_language("fr") is None
