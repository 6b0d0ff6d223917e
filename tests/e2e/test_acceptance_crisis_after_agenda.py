"""A crisis sentence in a DM right after saving an agenda item: care, and nothing that jars."""

from __future__ import annotations

from intake_seed import seed_circle


async def test_crisis_words_after_saving_an_item_get_care_without_a_help_pointer(sandbox):
    circle = await seed_circle(sandbox)
    dewi, sari = circle.facilitator, circle.members[0]
    await sari.dm("/agenda")
    await sari.press(sari.last_dm(), "Tambah agenda")
    await sari.dm("Konflik dengan kakak saya")
    assert "Tersimpan" in sari.last_dm().text
    before = len(sari.dm_texts())
    await sari.dm("aku pengen bundir rasanya")
    after = sari.dm_texts()[before:]
    assert len(after) == 1 and "aku peduli" in after[0]  # the care message, and nothing after it
    alert = dewi.last_dm().text
    assert "Peringatan keselamatan" in alert
    assert "pesan pribadi" in alert and "topik agenda" not in alert  # not an agenda item
    await sari.dm("terima kasih")  # ordinary text afterwards still gets the usual pointer
    assert "tidak menunggu jawaban" in sari.last_dm().text
