"""Every Bot API request the suite made, checked against the official spec.

Named to run last in tests/e2e so it sees the whole e2e run; run alone it
plays a short scripted exchange first so it never passes on nothing.
"""

from __future__ import annotations

import pytest
import spec_conformance

from sandbox.harness import Sandbox


async def _scripted_exchange(tmp_path) -> None:
    async with Sandbox(tmp_path, language="id") as sb:
        dewi, ana = sb.user("Dewi"), sb.user("Ana")
        group = await sb.group("Lingkar Uji", members=[dewi, ana], admins=[dewi])
        await dewi.start_bot()
        await dewi.dm("/help")
        await ana.open_deep_link("hello")
        await dewi.send(group, "/help")


async def test_every_recorded_request_conforms_to_the_bot_api(tmp_path):
    if spec_conformance.load_spec() is None:
        reason = f"Bot API spec not found at {spec_conformance.spec_path()} (set {spec_conformance.SPEC_ENV})"
        print(reason)
        pytest.skip(reason)
    if not [r for r in spec_conformance.RECORDED if not r.exempt]:
        await _scripted_exchange(tmp_path)
    records = [r for r in spec_conformance.RECORDED if not r.exempt]
    assert records, "no Bot API request was recorded, so nothing was checked"
    problems = [f"{r.nodeid}: {p}" for r in records for p in r.problems]
    assert not problems, f"{len(problems)} spec violation(s):\n" + "\n".join(problems[:50])
    methods = {r.method for r in records}
    print(f"{len(records)} requests checked across {len(methods)} methods: {sorted(methods)}")
