"""The risk model's grammar: grades, slots composed across word order and
affixes, vetoes, laughter, cues; property tests over generated sentences."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.crisis_content import crisis_matcher
from domain.crisis import CATEGORY_GRADES, CrisisLexicon, CrisisMatcher, Grade, grade_of
from domain.crisis_text import affixed_forms


@pytest.fixture(scope="module")
def matcher():
    return crisis_matcher()


def grade(matcher, text):
    concern = matcher.check(text)
    return None if concern is None else concern.grade


@pytest.mark.parametrize(
    "text",
    [
        "obatnya udah aku telen semua",  # -nya, aku, colloquial e, any order
        "udah kutelan semua pilnya",  # ku- and -nya
        "barusan aku menelan sebungkus obat tidur",  # meN-
        "semua obat di laci sudah ditelan tadi",  # di-
        "tadi aku nenggak 20 butir paracetamol",  # a number is a quantity
        "I've swallowed the whole bottle of pills",
        "just took all my meds at once",
        "aku lagi di atap, mau loncat",
        "I'm on the bridge right now",
        "talinya sudah di leherku",
        "already OD'd",
    ],
)
def test_acts_in_progress_are_imminent(matcher, text):
    assert grade(matcher, text) == Grade.IMMINENT, matcher.normalise(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("nanti malam aku mau bundir", "plan"),
        ("sabtu ini aku mau loncat dari jembatan", "plan"),
        ("I'm going to kill myself", "intent"),
        ("aku serius mau mati", "intent"),
        ("berapa butir obat yang bikin mati", "method"),
        ("aku udah ngumpulin obat tidur banyak", "preparation"),
        ("tolong jagain kucingku kalau aku udah ga ada", "preparation"),
        ("I tried to kill myself last year", "past_attempt"),
        ("dulu aku pernah nyoba gantung diri", "past_attempt"),
    ],
)
def test_plans_intent_method_preparation_past_attempts_are_high(matcher, text, category):
    concern = matcher.check(text)
    assert concern is not None and concern.grade == Grade.HIGH, (text, concern)


@pytest.mark.parametrize(
    "text",
    [
        "pengen mati aja",
        "aku sering nyayat tangan",
        "ga ada harapan lagi",
        "everyone would be better off without me",
        "I just want to disappear forever",
    ],
)
def test_ideation_self_harm_hopelessness_are_a_concern(matcher, text):
    assert grade(matcher, text) == Grade.CONCERN


@pytest.mark.parametrize(
    "text",
    [
        "mati aku, tugasnya besok wkwkwk",
        "capek bgt pengen mati haha",
        "i'm literally dying lmao",
        "aku mati ketawa 😂",
        "hpku mati, nanti lanjut",
        "laptopku mau mati",
        "sambil nunggu aku bunuh waktu main game",
        "just killing time",
        "aku mau mengakhiri hubungan sama pacarku",
        "I ended things with my boyfriend",
        "aku minum obat antidepresan sesuai resep dokter",
        "I take all my pills as prescribed",
        "beli tali sepatu baru buat lari",
        "latihan lompat tali",
        "pamit duluan ya, ada urusan",
        "ayahku meninggal tahun lalu, aku masih sedih",
        "I miss my late grandma so much",
    ],
)
def test_hard_negatives_stay_quiet(matcher, text):
    assert matcher.check(text) is None, (text, matcher.check(text))


def test_laughter_never_hides_an_act(matcher):
    assert grade(matcher, "udah kutelen semua obatnya wkwk") == Grade.IMMINENT
    # Turned around, it is not a joke.
    assert matcher.check("aku mau bundir, bukan becanda") is not None


def test_cues_add_up_in_one_message_but_not_alone(matcher):
    assert matcher.check("semuanya udah siap") is None
    assert matcher.check("selamat tinggal") is None
    assert matcher.assess("semuanya udah siap").cues
    concern = matcher.check("semuanya udah siap. selamat tinggal semua")
    assert concern is not None and concern.category == "preparation"
    assert concern.grade == Grade.HIGH


def test_masked_letters(matcher):
    assert matcher.check("b*nuh d*ri terus kepikiran") is not None
    assert matcher.check("pengen m*ti") is not None
    assert matcher.check("I want to k*ll myself") is not None


def test_affixes():
    forms = affixed_forms("telan")
    assert {"menelan", "nelan", "nelen", "ditelan", "telenin", "nelenin"} <= forms
    assert {"menyayat", "nyayat", "disayat", "sayatin"} <= affixed_forms("sayat")
    assert {"memotong", "motong"} <= affixed_forms("potong")
    assert "ngiris" in affixed_forms("iris")


def test_every_category_has_a_grade():
    assert set(CATEGORY_GRADES.values()) == set(Grade)
    assert grade_of("self_harm_screening") == Grade.CONCERN  # intake's own category


_PRONOUNS = st.sampled_from(["aku", "gue", "gw", "saya", ""])
_TAKE = st.sampled_from(["nelen", "menelan", "minum", "kuminum", "nenggak", "telen"])
_ALL = st.sampled_from(["semua", "sebotol", "semuanya", "sekaligus", "seluruh"])
_PILLS = st.sampled_from(["obat", "obatnya", "pil", "pilnya", "obat tidur", "paracetamol"])
_DONE = st.sampled_from(["udah", "sudah", "barusan", "tadi", "baru aja"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_PRONOUNS, _DONE, _TAKE, _ALL, _PILLS, st.permutations(range(4)))
def test_an_overdose_in_any_order_is_imminent(matcher, who, done, take, quantity, pills, order):
    parts = [f"{who} {done}".strip(), take, quantity, pills]
    text = " ".join(parts[i] for i in order)
    assert grade(matcher, text) == Grade.IMMINENT, (text, matcher.normalise(text))


_THINGS = st.sampled_from(
    ["hp", "baterai", "laptop", "tanaman", "lampu", "wifi", "phone", "battery"]
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_THINGS, st.sampled_from(["mau mati", "mati", "udah mati", "is dead", "died"]))
def test_deaths_of_things_are_quiet(matcher, thing, dies):
    assert (
        matcher.check(f"{thing} aku {dies}") is None or matcher.check(f"my {thing} {dies}") is None
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_is_assessed_without_error(matcher, text):
    assessment = matcher.assess(text)
    assert assessment.concern is None or assessment.concern.grade in Grade


# -- round 3: composition that generalises --------------------------------------------


@pytest.mark.parametrize(
    ("text", "least"),
    [
        ("aku pengen nyelesein hidupku", Grade.CONCERN),  # selesai -> selese, nyelesein
        ("pengen nge-end hidup ini", Grade.CONCERN),  # nge- as a word of its own
        ("knp aku masih idup sih", Grade.CONCERN),  # why + still + alive, any spelling
        ("doain aku cepet dipanggil yang di atas", Grade.CONCERN),  # god + call + me
        ("kalau besok aku ga ada juga gapapa", Grade.CONCERN),
        ("gak ada gunanya aku bernapas", Grade.CONCERN),
        ("masa depanku udah gelap, ga ada harapan", Grade.CONCERN),  # none + hope
        ("i can't see a future for myself", Grade.CONCERN),
        ("it would be easier if i just wasn't alive", Grade.CONCERN),
        ("i wouldn't care if i got hit by a bus", Grade.CONCERN),
        ("suara di kepalaku nyuruh aku mati", Grade.CONCERN),  # command voices
        ("is hanging painful", Grade.HIGH),  # method + pain
        ("what's the lethal amount of insulin", Grade.HIGH),  # lethal + means
        ("thinking about walking into traffic", Grade.HIGH),
        ("nobody can stop me, i'm going through with it", Grade.HIGH),
        ("aku udah tau mau ngelakuin di mana dan kapan", Grade.HIGH),  # how/where/when
        ("i'm doing it on friday when my roommate is away", Grade.HIGH),  # alone
        ("please look after my dog when i'm not around anymore", Grade.HIGH),
        ("i made a will and left it on my desk", Grade.HIGH),
        ("i od'd and i'm starting to feel sick", Grade.IMMINENT),  # od'd is not "odd"
        ("kepala pusing bgt abis nenggak obat sebanyak itu", Grade.IMMINENT),
        ("the noose is ready and i'm standing on the chair", Grade.HIGH),
        ("udah kutelan 2 strip paracetamol", Grade.IMMINENT),  # a container is a quantity
    ],
)
def test_new_compositions(matcher, text, least):
    found = grade(matcher, text)
    assert found is not None and found >= least, (text, matcher.normalise(text), found)


@pytest.mark.parametrize(
    "text",
    [
        "habis minum obat maag, perutku enakan",  # "habis minum": after taking, not all of it
        "temenku pernah nyoba bunuh diri, aku pengen bantu dia",  # about a friend
        "kemarin nonton berita soal bunuh diri, sedih banget",
        "the show ended with the hero's suicide, so sad",
        "harga tiket naik, mati aja dompetku",  # a thing right after
        "I can't do this anymore, the commute is awful",  # an everyday topic
        "there's no way out of this traffic jam",
        "it's hopeless, my team never wins",
        "pengen tidur seharian ga bangun2 wkwk",  # laughter, whatever negation is near
        "aku lagi di jembatan suramadu, macet parah",
        "i'm standing on the bridge taking photos of the sunset",
        "i wrote my will after buying the house, my lawyer said it's smart",
        "i've decided to end my subscription",
        "ini pesan terakhir sebelum aku tidur, met malem",
        "that's odd, i just noticed",
        "semoga kucingku tidak mati",
    ],
)
def test_new_hard_negatives(matcher, text):
    assert matcher.check(text) is None, (text, matcher.normalise(text), matcher.check(text))


def test_a_negated_kidding_overrides_laughter(matcher):
    assert matcher.check("pengen mati wkwk") is None
    assert matcher.check("pengen mati wkwk, tapi bukan becanda") is not None
    assert matcher.check("lol i want to die, not joking") is not None


def test_affixes_of_roots_ending_in_a_diphthong():
    assert {"nyelesein", "diselesein", "selesein", "menyelesaikan"} <= affixed_forms("selesai")


def test_roots_never_swallow_a_known_word(matcher):
    # "diri" is not di- + "iri": a root's forms must not shadow lexicon words.
    assert matcher.normalise("bunuh diri") == "bunuh diri"
    assert matcher.normalise("diriku") == "diri aku"


def test_rule_alternatives_fill_one_role():
    lexicon = CrisisLexicon(
        categories={"hopelessness": ["tidak ada harapan"]},
        slots=["die: mati", "suicide: bundir", "how: cara gimana"],
        rules=["method: how die|suicide / 4"],
    )
    m = CrisisMatcher([lexicon])
    assert m.check("gimana cara bundir").category == "method"
    assert m.check("cara mati paling cepat").category == "method"
    assert m.check("gimana cara masak") is None


def test_rewrites_change_what_a_phrase_means():
    lexicon = CrisisLexicon(
        categories={"hopelessness": ["tidak ada harapan"]},
        slots=["take: minum", "all: habis semua", "pills: obat", "time: sehabis"],
        rules=["attempt: take all pills / 4"],
        exceptions=["habis minum > sehabis minum"],
    )
    m = CrisisMatcher([lexicon])
    assert m.check("habis minum obat perutku enakan") is None
    assert m.check("obatnya habis aku minum") is not None


# -- clauses, inflections, who a phrase is about ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Aku. Pengen. Mati.",  # one-word clauses are emphasis, not clauses
        "part of me just wants to die",  # wants -> want
        "i keep hoping i won't wake up",  # hoping -> hope, won't -> will not
        "everyone'd be better off w/o me",  # 'd -> would, w/o -> without
        "aku nonton film terus kepikiran bunuh diri",  # a thought after the story
        "i've been reading about carbon monoxide",  # a search, not a topic
        "gw udh g kuat, mau ngakhirin aja",  # slang spellings
        "tmrw is the day, im ending it",
    ],
)
def test_found_across_clauses_inflections_and_slang(matcher, text):
    assert matcher.check(text) is not None, (text, matcher.normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        "aku pamit dari grup ini ya, programnya udah selesai, makasih semuanya",
        "dia bilang mau bunuh diri di film itu, aku nangis",  # another person
        "temanku cerita dia pernah pengen bunuh diri, aku dengerin aja",
        "i read an article about suicide prevention today",  # a topic
        "I'm scared of dying on planes, I hate flying",  # planes is not "plan"
        "maaf ya ngerepotin kalian semua, makasih banyak",  # politeness: one cue
        "akhirnya semuanya beres juga, lega",  # akhirnya is not "akhiri"
        "rapat dimulai pukul 9 sampai pukul 12",  # pukul as o'clock
        "jangan lupa minum semua obatnya ya, biar cepat sembuh",
        "my mom is a nurse and sees overdoses all the time",
    ],
)
def test_quiet_about_others_topics_and_everyday_words(matcher, text):
    assert matcher.check(text) is None, (text, matcher.normalise(text), matcher.check(text))


def test_a_comma_ends_a_clause():
    m = crisis_matcher()
    assert "|" in m.normalise("temenku pernah nyoba bunuh diri, aku pengen bantu dia")
    assert "|" not in m.normalise("b.u.n.d.i.r")  # spelled out, not clauses


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["want", "wants", "wanted", "wish", "wishes", "wished", "hope", "hoping"]),
    st.sampled_from(["to die", "to be dead", "i was dead", "i were dead"]),
)
def test_english_inflections_of_a_wish_to_die(matcher, verb, wish):
    text = f"part of me {verb} {wish}".replace("hope i", "hope that i")
    assert matcher.check(text) is not None, (text, matcher.normalise(text))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["temenku", "dia", "sepupuku", "my friend", "she", "they"]),
    st.sampled_from(["pernah nyoba bunuh diri", "bilang pengen mati", "tried to kill herself"]),
    st.sampled_from(["aku sedih", "aku pengen bantu", "i want to help", "how do i support her"]),
)
def test_someone_elses_crisis_then_the_writer_caring_is_quiet(matcher, who, what, then):
    text = f"{who} {what}, {then}"
    assert matcher.check(text) is None, (text, matcher.normalise(text), matcher.check(text))


# -- round 5 (Indonesian): regional words, colloquial nasals, new slots ---------------


def test_the_colloquial_nasal_of_a_g_root():
    assert "ngantung" in affixed_forms("gantung")  # "nggantung", squeezed


@pytest.mark.parametrize(
    ("text", "least"),
    [
        ("abdi hayang paeh wae", Grade.CONCERN),  # Sundanese: I want to die
        ("wis kesel urip aku", Grade.CONCERN),  # Javanese: tired of living
        ("kebayang nggantung diri terus", Grade.HIGH),
        ("berapa tablet obat tidur biar ga bangun lagi", Grade.HIGH),  # how many + pills
        ("udah aku pikirin mateng2, lusa aku ke jembatan", Grade.HIGH),  # time + place + decided
        ("keputusanku udah bulat buat pergi selamanya", Grade.HIGH),  # intent + forever
        ("moga aja pesawatnya jatoh biar semuanya selesai", Grade.CONCERN),
        ("aku lagi duduk di pagar flyover", Grade.IMMINENT),  # at + place + edge
        ("password atm udah aku kasih ke kakak biar dia yang urus", Grade.HIGH),
        ("Aku sungguh berniat bunuh diri, ini bukan main-main", Grade.HIGH),  # ber- + niat
        ("Obat apa yang bisa bikin orang mati?", Grade.HIGH),  # someone, generic
        ("sebelum semua bangun aku ke jembatan", Grade.HIGH),  # alone + place
        ("obatnya udah masuk semua, maafin aku", Grade.IMMINENT),
        ("semuanya udah kuatur, minggu ini aku bakal ngelakuinnya", Grade.HIGH),  # two cues
        ("pgn bvnvh diri aja", Grade.CONCERN),  # v for u
        ("aku udah d atas jmbtn skrg", Grade.IMMINENT),  # vowels dropped
        ("aq gamau hidup lg", Grade.CONCERN),
        ("mending aq ded aja", Grade.CONCERN),
        ("malem ini waktunya, aku udah ga sanggup", Grade.HIGH),  # time + "it's time" + can't
        ("abis nyayat lengan, darahnya ga brenti", Grade.IMMINENT),  # "abis" + verb: just did
        ("makasih buat semuanya selama ini, ini chat terakhirku", Grade.HIGH),  # two cues
        ("kalau aku udah pergi nanti, jangan salahin diri kalian ya", Grade.HIGH),
        ("tolong sampein maafku ke papa, aku ga sanggup pamit", Grade.HIGH),
        ("maafin aku atas apa yang bakal aku lakuin nanti malam", Grade.HIGH),
        ("aku udah ga bisa diselamatkan", Grade.CONCERN),
        ("keputusanku udah final, minggu ini aku pergi", Grade.HIGH),
        ("maaf ya, aku ga kuat bertahan lagi", Grade.CONCERN),
        ("aku ngetonjok tembok sampe tanganku berdarah", Grade.CONCERN),  # a new root
        ("cutting lagi semalem", Grade.CONCERN),
        ("nyesel aku masih hidup sampe sekarang", Grade.CONCERN),
        ("bekas tali di leherku belum ilang", Grade.HIGH),
        ("mending aku ga ada biar mereka bahagia", Grade.CONCERN),
        ("aku udah pilih baju buat pemakamanku", Grade.HIGH),
        ("mobilku udah aku arahin ke tembok", Grade.IMMINENT),
        ("setelah wisuda aku mau bunuh diri", Grade.HIGH),
        ("tos teu kuat, hoyong maot", Grade.CONCERN),  # Sundanese
        ("aku di lantai atas gedung, udah di pinggir", Grade.IMMINENT),
        ("obat ini bahaya kalau banyak, aku udah punya stok", Grade.HIGH),
        ("nanti malam aku lakuin yang udah aku rencanain", Grade.HIGH),
        ("besok kalau aku ga bales, jangan dicari, aku udah tenang", Grade.HIGH),  # two cues
        ("biar semuanya berakhir di tanganku sendiri", Grade.HIGH),
        ("gunting udah aku tempel di nadi", Grade.IMMINENT),
        ("apa gunanya aku hidup", Grade.CONCERN),
        ("gw ga pengen liat matahari terbit lagi", Grade.CONCERN),
        ("ini terakhir kalinya kalian denger kabar aku", Grade.HIGH),
        ("pengen istirahat abadi aja", Grade.CONCERN),
        ("aku siap menghadap Tuhan malam ini", Grade.HIGH),
        ("aku pukul lenganku sampai memar", Grade.CONCERN),
        ("tusuk2 lengan pake jarum lagi", Grade.CONCERN),
        ("udah aku siapin daftar siapa dapet koleksi bukuku", Grade.HIGH),
        ("aku udah terlalu rusak", Grade.CONCERN),
        ("aku overdosis, tolong", Grade.IMMINENT),
        ("aku lagi megang pisau di leher", Grade.IMMINENT),
        ("aku udah kehilangan gairah hidup", Grade.CONCERN),
        ("hidupku berantakan, gagal total", Grade.CONCERN),
        ("buat apa berjuang lagi", Grade.CONCERN),
        ("ga ada yang bisa nolong aku", Grade.CONCERN),
        ("keluargaku lebih baik kalau aku ga pernah lahir", Grade.CONCERN),
        ("aku cuma benalu di keluarga ini", Grade.CONCERN),
        ("mereka pasti lega ga perlu ngurusin aku lagi", Grade.CONCERN),
        ("aku iri sama yang udah meninggal", Grade.CONCERN),  # "yang meninggal" > almarhum
        ("pengen koma aja ga usah bangun", Grade.CONCERN),
        ("aku bakal ngelakuin pas rumah kosong", Grade.HIGH),
        ("pengen nyeburin diri ke kali", Grade.HIGH),  # a new root: cebur
        ("aku udah pesen sianida", Grade.HIGH),
        ("aku cubit lenganku sampai memar", Grade.CONCERN),
        ("doain aku cepet dipanggil ya", Grade.CONCERN),
        ("moga besok aku ga kebangun", Grade.CONCERN),
        ("aku cuma aib di keluarga", Grade.CONCERN),
        ("pengen disamber petir aja", Grade.CONCERN),
        ("dompet sama hp udah aku taruh di meja buat adek", Grade.HIGH),
        ("aku udah nyiapin obat buat malam ini", Grade.HIGH),
        ("saya sudah tidak sanggup menjalani hidup ini", Grade.CONCERN),
        ("pengenmatiajarasanya", Grade.CONCERN),  # run together, a filler included
        ("kalo aku ga ada nanti, tolong sampein ke mama aku sayang dia", Grade.HIGH),
        ("kenapa aku masih bangun tiap pagi, harusnya ga usah", Grade.CONCERN),
        ("udah telat, obatnya udah aku minum", Grade.IMMINENT),
        ("aku udah siapin surat sama tali", Grade.HIGH),
        ("besok jam 3 pagi, pas semua tidur", Grade.HIGH),
        ("aku lepas pelampung di tengah laut", Grade.IMMINENT),
        ("udah aku telen obatnya, jangan dobrak pintunya", Grade.IMMINENT),
        ("lagi nyetir, pengen nabrak tiang", Grade.IMMINENT),
        ("aku nyari gedung yang atapnya ga dijaga", Grade.HIGH),
        ("bodo amat kalau aku mati", Grade.CONCERN),
        ("ga ada yang bisa nyelametin aku", Grade.CONCERN),
        ("ortuku capek ngurusin aku", Grade.CONCERN),
        ("maafin aku semua, malam ini aku pergi", Grade.HIGH),
        ("bekas luka di lenganku banyak", Grade.CONCERN),  # bekas luka > parut
        ("udah ga ada gunanya lagi", Grade.CONCERN),
        ("selamat tinggal dunia", Grade.HIGH),
        ("gw out dari hidup ini", Grade.CONCERN),
        ("pamit ya semua, untuk selamanya", Grade.HIGH),
        ("pgn ga ada", Grade.CONCERN),
        ("udh ketelen semua obatnya", Grade.IMMINENT),
        ("bentar lagi lompat", Grade.IMMINENT),
        ("bsk aku ga bakal ada", Grade.HIGH),
        ("gaada harapan", Grade.CONCERN),
        ("hidup ini ga layak dijalani", Grade.CONCERN),
        ("andai aku ga pernah lahir", Grade.CONCERN),
        ("aku beli cutter baru buat nyayat", Grade.HIGH),
        ("makasih semuanya, maaf aku nyerah", Grade.HIGH),
        ("pengen udahan aja", Grade.CONCERN),
        ("aku nonjok kepalaku lagi", Grade.CONCERN),
        ("pengen dipanggil Tuhan", Grade.CONCERN),
        ("ga ada yang bakal kehilangan aku", Grade.CONCERN),
        ("semuanya sia-sia buat aku", Grade.CONCERN),
        ("pandanganku mulai gelap abis nelen semua obat itu", Grade.IMMINENT),
        ("aku udah loncat, kakiku patah", Grade.IMMINENT),
        ("sabtu malam aku check in hotel, terus selesai", Grade.HIGH),
        ("nyawaku aku sendiri yang ambil", Grade.HIGH),
        ("aku beli obat di banyak apotek biar ga curiga", Grade.HIGH),
        ("aku ngukir lenganku pake cutter", Grade.CONCERN),  # a new root: ukir
        ("kepalaku udah aku masukin kresek", Grade.IMMINENT),
        ("aku cuma pengen semuanya sunyi selamanya", Grade.CONCERN),
        ("kayaknya enak ya kalau aku udah ga ada", Grade.CONCERN),
        ("anak-anakku lebih baik tanpa ayah kayak aku", Grade.CONCERN),
        ("ga ada jalan lagi buat aku", Grade.CONCERN),
        ("tugasku udah selesai, aku mau pergi", Grade.HIGH),
        ("emas sama perhiasan udah aku kasih ke anakku, aku ga memerlukannya lagi", Grade.HIGH),
        ("malam ini pas semua tidur aku bakal ngelakuin", Grade.HIGH),
        ("aku cuma bikin rugi keluarga", Grade.CONCERN),
        ("aku pengen tidur sampai ga usah bangun lagi", Grade.CONCERN),
        ("udah aku tandain di kalender, tanggal 12 terakhir", Grade.HIGH),
        ("aku gosok lenganku pake amplas sampai berdarah", Grade.CONCERN),
        ("kali ini aku ga bakal ragu", Grade.HIGH),
        ("tabunganku udah aku transfer semua ke adik", Grade.HIGH),
        ("kalau besok ga ada kabar dari aku, berarti aku udah pergi", Grade.HIGH),
        ("udah aku tulis apa aja yang harus diurus keluarga setelah aku ga ada", Grade.HIGH),
        ("udah aku beli tiket sekali jalan ke jembatan itu", Grade.HIGH),
        ("ini udah butir ke dua puluh", Grade.IMMINENT),
        ("aku udah mantep, ga akan mundur", Grade.HIGH),
        ("pengen dijemput malaikat aja", Grade.CONCERN),  # a new root: jemput
        ("aku udah milih baju terakhirku", Grade.HIGH),
        ("gue udah done banget sama life", Grade.CONCERN),  # code-mixed
        ("which pills yang paling cepet buat od", Grade.HIGH),
        ("semua orang lebih happy tanpa gue", Grade.CONCERN),
        ("aku tarik-tarik rambutku sampe copot", Grade.CONCERN),
        ("semoga ada yang nabrak aku di jalan", Grade.CONCERN),
        ("sebentar lagi aku udah ga ada di sini", Grade.HIGH),
        ("capek nafas", Grade.CONCERN),
        ("aku udah nyiapin kata-kata terakhir", Grade.HIGH),
        ("aku udah naik ke pagar jembatan", Grade.IMMINENT),
    ],
)
def test_round_5_compositions(matcher, text, least):
    found = grade(matcher, text)
    assert found is not None and found >= least, (text, matcher.normalise(text), found)


@pytest.mark.parametrize(
    "text",
    [
        "surat perpisahan buat wali kelas udah jadi",  # a farewell letter for a teacher
        "berapa butir obat flu sehari?",  # a dose for an illness
        "mati aku, besok presentasi belum siap",  # "I'm done for" before an everyday task
        "hpku mati abis jatuh ke kolam",  # a thing with -ku
        "selamat tinggal semuanya, sampai ketemu tahun depan",
        "aku jadi beban kelompok, maaf ya bakal aku perbaiki",
        "stok obat batuk udah habis, nanti beli lagi",  # running out, buying more
        "Nenek sudah menulis surat wasiat",  # someone else's will
        "mama nulis surat buat aku, terharu",  # someone else's letter
        "aku pernah masuk rumah sakit karena tipes",
        "kali ini aku pasti bakal ngelakuinnya dengan baik di ujian",
        "udh nelen 2 paracetamol buat sakit kepala",  # taken for a symptom
        "pernah od kopi pas begadang",
        "obat maag tinggal diminum sebelum makan",
        "kemarin aku beli arang buat bbq",
        "besok ga usah nyariin aku, aku di perpus seharian",
        "maafin aku ya atas apa yang bakal aku lakuin besok, aku bakal ngerjain kamu",
        "aku ga bisa bertahan lagi di kerjaan ini, capek",
        "jangan salahin diri kalian, itu bukan salah kalian kok",
        "lagi di pinggir rel nunggu palang kebuka",
        "udah tentuin cara bayarnya, tinggal tanggalnya",
        "semoga penyakit kucingku ga makin parah",
        "percobaan keduaku bikin roti akhirnya berhasil",
        "gunting udah di tangan, siap potong rambut adek",  # grooming
        "aku tahu dosis kopi yang cukup biar ga ngantuk",
        "semuanya udah beres, tinggal aku mandi",
        "aku ga akan dateng ke kelas itu lagi selamanya, dosennya nyebelin",
        "pelukan terakhir sebelum dia berangkat kuliah",
        "udah aku sayat tipis2 bawangnya",  # a thing with -nya
        "aku hancur banget denger kabar itu",  # grief
        "aku siap ketemu Tuhan kapan aja, yang penting ibadah",
        "aku pengen pulang ke kampung selamanya, capek kota",
        "kalian ga bakal liat aku lagi di kantor ini",
        "aku megang pisau, tanganku keiris",  # an accident
        "aku lagi megang pisau di tangan buat masak",
        "aku overdosis kafein tolong",
        "nenekku yang sudah meninggal pasti bangga",
        "aku kangen kakek yang udah meninggal",
        "pengen lenyap dari keramaian, healing ke pantai",
        "aku nyakar tanganku sendiri pas digigit nyamuk, gatel banget",
        "semoga ini hari terakhir hujan deres",
        "kompor gas udah aku matiin sebelum berangkat",  # matiin: switched off
        "ikat pinggangku putus pas kondangan wkwk",
        "doain aku cepet dipanggil kerja ya",
        "nenekku sakit parah di rumah sakit, doain ya",
        "keputusanku udah final, aku mau pergi ke jepang",
        "kompor gas udah bocor, pintu ditutup rapat ya biar anak ga masuk dapur",
        "aku di atas genteng, benerin antena, mau lompat ke bawah takut",
        "aku mau terjun ke dunia bisnis tahun depan",
        "dompet sama hp aku titip ke adek ya, aku mau renang",
        "aku telat minum obat tadi pagi",
        "bu, saya sudah tidak sanggup bayar uang kos bulan ini",
        "aku lagi di atas jembatan penyeberangan, nyasar",
        "mending aku ngilang dulu bentar, mau fokus ujian",
        "jam 3 pagi pas semua tidur aku belajar",
        "aku jambak rambut adek pas berantem",
        "bekas luka di lenganku ini dari jatuh dari motor",
        "bekas luka operasi di perutku masih keliatan",
        "pgn ilang ke gunung",
        "pengen ga ada yang tau",
        "udah gaada gunanya nangisin dia",
        "kuotaku sekarat, mau mati",  # the thing of the clause before is the subject
        "my phone is at 2%, gonna die",
        "sumpah aku mati penasaran sama endingnya",
        "hidup segan mati tak mau, kata pepatah",
        "bunuh diri? jangan ya, banyak yang sayang kamu",
        "barang-barang almarhum nenek dibagi ke cucu-cucu",
        "pengen udahan aja sama pacar",
        "aku mukul tangan adek lagi",
        "percuma aku belajar, nilainya jelek",
        "awokawok liat nilai ujian pengen mati aja",  # laughter, however it is typed
        "ditanya kapan nikah, mau mati rasanya xixixi",
        "kaktus mau mati",
        "buat apa bertahan di kantor yang toxic",
        "aku kepleset di kamar mandi, kakiku memar",
        "dimana ya beli obat flu tanpa resep",
        "pandanganku mulai gelap, kayaknya darah rendah",
        "saya membenturkan kepala ke pintu mobil, tidak sengaja",
        "aku udah nyiapin semua dokumen buat visa",
        "ga ada yang peduli kalau aku telat dateng",
        "Saya sudah menulis wasiat untuk jaga-jaga, kata notaris itu hal yang wajar di usia saya.",
        "aku nyusahin doang ya, maaf minta tolong terus",
        "percobaanku yang kemarin gagal, besok aku coba resep lagi",
        "aku udah rekam voice note buat mama, ucapan ulang tahun",
        "rasanya kayak mimpi, aku lulus juga",  # kayak: like, not a kayak
        "aku lagi megang pisau buat motong sayur",
        "gua di goa gelap yang ga ada ujungnya, seru banget caving",  # gua: "I"
        "pengen dijemput pacar pulang kerja",
        "ini chat terakhir gw hari ini, mau tidur dulu",
        "tadi udah minum obat, tolong ingetin lagi nanti malam",
        "udah minum obatnya, maaf ya telat bales",
        "udah nelen obat maag, maaf ya ganggu",
        "udah siapin the rope buat climbing besok",
        "this weekend gue mau ngilang ke puncak for good vibes",
        "aku ngerusak printer kantor, malu",
        "capek nafas abis lari",
        "aku udah naik ke pagar buat ambil layangan",
    ],
)
def test_round_5_hard_negatives(matcher, text):
    assert matcher.check(text) is None, (text, matcher.normalise(text), matcher.check(text))


_WHO = st.sampled_from(["aku", "gue", "gw", "saya", "aq", ""])
_NOW = st.sampled_from(["lagi", "udah", "sekarang", "skrg", "udh"])
_AT = st.sampled_from(["di", "di atas", "berdiri di", "duduk di", "di pinggir", "naik ke"])
_HIGH_PLACE = st.sampled_from(
    ["jembatan", "atap kos", "rooftop", "tebing", "jurang", "jembatan layang", "lantai 20"]
)
_DISTRESS = st.sampled_from(["maaf semuanya", "ga kuat lagi", "udah ga sanggup", "selamat tinggal"])


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_WHO, _NOW, _AT, _HIGH_PLACE, _DISTRESS)
def test_at_a_high_place_with_a_farewell_or_despair_is_imminent(matcher, who, now, at, place, cry):
    text = " ".join(w for w in (who, now, at, place + ",", cry) if w)
    assert grade(matcher, text) == Grade.IMMINENT, (text, matcher.normalise(text))


_WHEN = st.sampled_from(
    ["malam ini", "nanti malem", "besok", "minggu ini", "jumat nanti", "tengah malam nanti"]
)
_WILL = st.sampled_from(["mau", "bakal", "akan", "pengen", "berencana"])
_WAY = st.sampled_from(
    ["bunuh diri", "gantung diri", "loncat dari jembatan", "minum racun", "ngakhirin hidup", "mati"]
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_WHEN, _WHO, _WILL, _WAY, st.booleans())
def test_a_time_and_a_way_to_die_is_a_plan(matcher, when, who, will, way, time_first):
    parts = [when, who, will, way] if time_first else [who, will, way, when]
    text = " ".join(w for w in parts if w)
    assert grade(matcher, text) >= Grade.HIGH, (text, matcher.normalise(text))


_CARE = st.sampled_from(
    ["tolong rawat", "titip", "tolong jagain", "jagain ya", "tolong kasih makan"]
)
_DEPENDENT = st.sampled_from(["kucingku", "anjingku", "kelinciku", "anak-anakku", "adikku"])
_GONE = st.sampled_from(
    ["kalau aku udah ga ada", "kalo gw udah gaada", "pas aku udah pergi", "setelah aku ga ada"]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_CARE, _DEPENDENT, _GONE)
def test_care_arranged_for_when_i_am_gone_is_preparation(matcher, care, dependent, gone):
    text = f"{care} {dependent} {gone}"
    assert grade(matcher, text) >= Grade.HIGH, (text, matcher.normalise(text))


_DONE = st.sampled_from(["udah", "barusan", "tadi", "baru aja", "dah"])
_SWALLOWED = st.sampled_from(["nelen", "nenggak", "minum", "abisin", "telen semua"])
_THE_PILLS = st.sampled_from(
    ["obatnya", "pil tidurnya", "obat-obatan itu", "racunnya", "obat mama", "antidepresanku"]
)
_AFRAID = st.sampled_from(["aku takut", "maaf ya", "tolong", "tolong aku", "maafin aku"])


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_WHO, _DONE, _SWALLOWED, _THE_PILLS, _AFRAID)
def test_pills_just_taken_then_fear_or_sorry_is_imminent(matcher, who, done, took, pills, cry):
    text = " ".join(w for w in (who, done, took, pills + ",", cry) if w)
    assert grade(matcher, text) == Grade.IMMINENT, (text, matcher.normalise(text))


# Round 7 (crisis-id): constructions learned from fresh batches 46-; each crisis
# sentence here has an everyday twin below that must stay quiet.
ROUND_7_CRISIS = [
    ("aku udah di lantai 9, udah ngelewatin pagar pembatasnya", Grade.IMMINENT),
    ("kalau besok ga lulus aku udahan, caranya udah aku pilih", Grade.HIGH),
    ("aku berharap ajal datang secepatnya", Grade.CONCERN),
    ("tiap malam aku berdoa minta dipanggil pulang", Grade.CONCERN),
    ("kain kafan buatku sendiri udah aku beli", Grade.HIGH),
    ("obat tidurnya kalau aku minum semua bisa bikin mati", Grade.HIGH),
    ("Tuhan udah ninggalin aku", Grade.CONCERN),
    ("doaku tidak pernah dikabulkan", Grade.CONCERN),
    ("dulu aku pernah minum racun serangga, untung ketahuan adik", Grade.HIGH),
    ("aku akan menyusul almarhumah ibu dengan caraku sendiri", Grade.HIGH),
    ("talinya udah kuikat, ini pesan terakhirku", Grade.IMMINENT),
    ("aku ga takut dosa, aku bakal menghabisi diriku", Grade.HIGH),
    ("wis tak untal kabeh pil turune", Grade.IMMINENT),
    ("sesuk aku arep mlumpat seka kreteg", Grade.HIGH),
    ("abdi hoyong paeh, tos teu kuat hirup", Grade.CONCERN),
    ("ambo lah indak talok iduik", Grade.CONCERN),
    ("inang, obatnya udah kuminum semua", Grade.IMMINENT),
    ("aku di pinggir dermaga sekarang, maafin aku mak", Grade.IMMINENT),
    ("aku sudah bulat mengakhiri hidup di perantauan", Grade.HIGH),
    ("kepalaku tak jedotke tembok nganti getihen", Grade.CONCERN),
    ("besok aku mau 🪢 di kamar", Grade.HIGH),
    ("aku lagi di 🌉 sekarang, maaf semuanya", Grade.IMMINENT),
    ("barusan minum 20an pil tidur", Grade.IMMINENT),
    ("malam ini aku ke jembatan, jangan dicari ya", Grade.HIGH),
    ("kambuh lagi, ada garis baru di lengan", Grade.CONCERN),
    ("lebih baik aku ga exist", Grade.CONCERN),
    ("adikku aku titipin ke nenek, bilangnya aku kerja padahal aku ga akan balik", Grade.HIGH),
    ("ada yang tau apartemen yang atapnya bisa dinaikin?", Grade.HIGH),
    ("aku di mobil dalam garasi, mesin nyala, pintu garasi udah kututup rapat", Grade.IMMINENT),
    ("semoga ada bus yang nabrak aku", Grade.CONCERN),
    ("ada jurang di dekat rumah nenek, di situ aku mau bunuh diri", Grade.HIGH),
    ("surat buat kalian masing-masing udah aku tulis", Grade.HIGH),
    ("kalau aku mati dalam tidur, itu anugerah", Grade.CONCERN),
    ("air di bak mandi merah semua, aku lemes", Grade.IMMINENT),
    ("kalau aku pergi, mama papa pasti akur lagi", Grade.CONCERN),
    ("abis minum sestrip obat diet, jantungku deg2an parah", Grade.IMMINENT),
    ("chat sama foto udah aku hapus semua biar ga ada yang inget aku", Grade.HIGH),
    ("belajar terus tapi tetep gagal, ga ada gunanya aku hidup", Grade.CONCERN),
    ("hidupku gitu-gitu aja, ga ada yang berubah", Grade.CONCERN),
    ("berapa banyak obat tidur supaya ga bangun lagi", Grade.HIGH),
    ("baju buat aku dikafani udah aku siapin", Grade.HIGH),
    ("aku rindu alam baka, di dunia ini aku capek", Grade.CONCERN),
    ("aku akan menghadap Ilahi atas kemauanku sendiri", Grade.HIGH),
    ("besok aku berpulang atas keinginanku sendiri", Grade.HIGH),
    ("aku cuma nambah masalah buat keluarga", Grade.CONCERN),
    ("kalau mau gantung diri, tali rafia kuat nahan badan ga?", Grade.HIGH),
    ("aku udah di pinggir sungai, ga bisa berenang, selamat tinggal", Grade.IMMINENT),
    ("minggu depan pas rumah sepi aku bakal ngelakuin itu", Grade.HIGH),
    ("liat keranda lewat, aku mikir kapan giliranku", Grade.CONCERN),
    ("andai aku ga pernah lahir", Grade.CONCERN),
    ("aku cuma numpang hidup di dunia ini", Grade.CONCERN),
    ("aku udah di jembatan, ini yang terakhir", Grade.HIGH),
    ("talinya udah kuikat, aku naik ke kursi sekarang", Grade.IMMINENT),
    ("dulu aku sengaja terjun dari lantai tiga", Grade.HIGH),
    ("ini bukan lebay, aku pengen mati", Grade.HIGH),
    ("rasanya pengen lenyap aja dari muka bumi", Grade.CONCERN),
    ("mending aku diam selamanya", Grade.CONCERN),
    ("obatnya udah mulai bereaksi, maaf semuanya", Grade.IMMINENT),
    ("kalau aku ga ada kabar tiga hari, tolong dobrak pintu kamarku", Grade.HIGH),
    ("jam 2 pagi nanti aku pergi ke jembatan", Grade.HIGH),
    ("semoga ini hal terakhir yang aku lihat", Grade.CONCERN),
    ("keluarga bakal lebih tenang kalau aku ga muncul lagi", Grade.CONCERN),
    ("aku nahan napas di bak mandi, maaf semuanya", Grade.IMMINENT),
    ("aku pakai baju terbaik biar itu yang terakhir kalian ingat", Grade.HIGH),
    ("minggu depan aku ke danau itu, di sana semuanya selesai", Grade.HIGH),
    ("utang arisan udah aku kembalikan semua biar ga nyusahin pas aku ga ada", Grade.HIGH),
    ("air lautnya udah sampai leher, aku terus jalan ke tengah", Grade.IMMINENT),
    ("barusan aku nyuntik insulin sebanyak-banyaknya, keringat dingin", Grade.IMMINENT),
    ("aku berdiri di rel, lampu kereta udah kelihatan", Grade.IMMINENT),
    ("sabtu sudah aku tandai di kalender, hari itu aku pergi", Grade.HIGH),
    ("besok aku check in hotel dan ga balik lagi", Grade.HIGH),
    ("tekadku bulat, ga akan batal", Grade.HIGH),
    ("selendang ini cukup kuat ga buat gantung di kipas angin", Grade.HIGH),
    ("aku udah minta maaf ke semua orang yang pernah aku sakiti", Grade.HIGH),
    ("hp udah kujual, uangnya buat adik biar ga susah nanti kalau aku udah ga ada", Grade.HIGH),
    ("dulu aku pernah coba pakai tali", Grade.HIGH),
    ("luka di lenganku bukan kecelakaan", Grade.CONCERN),
    ("aku udah di atap gedung, tinggal satu langkah lagi", Grade.IMMINENT),
    ("barusan aku minum air keras, tenggorokanku terbakar", Grade.IMMINENT),
    ("sabtu malam aku loncat dari atap mall", Grade.HIGH),
    ("kamarku udah kosong, kuncinya aku titip ke ibu kos, barang udah aku bagi", Grade.HIGH),
    ("aku duduk di ambang jendela lantai 9", Grade.IMMINENT),
    ("malam ini setelah semua tidur aku bakal ke sungai", Grade.HIGH),
    ("aku iri sama orang yang udah meninggal", Grade.CONCERN),
    ("kalau kiamat datang besok, aku bakal senang", Grade.CONCERN),
    ("pengen tiduran di tengah rel biar ketabrak kereta", Grade.CONCERN),
    ("ga bisa bayangin diriku umur 25, kayaknya ga sampai", Grade.CONCERN),
    ("hidupku ini sia-sia", Grade.CONCERN),
    ("aku cuma sampah di dunia ini", Grade.CONCERN),
    ("aku nyubit lenganku sendiri sampai memar", Grade.CONCERN),
    ("tiap nyebrang jalan besar aku kepikiran berhenti di tengah", Grade.CONCERN),
    ("aku berhenti berharap sama hidup", Grade.CONCERN),
    ("akhir pekan ini pas kos sepi aku keluar dari dunia ini", Grade.HIGH),
    ("pengen ngilang dari dunia for good", Grade.CONCERN),
    ("pengen minum sesuatu biar ga ngerasain apa-apa selamanya", Grade.CONCERN),
    ("tiap naik kapal aku berharap kapalnya tenggelam", Grade.CONCERN),
    ("hidup ini kelamaan buat aku", Grade.CONCERN),
    ("aku terjebak dan ga ada jalan keluar lagi", Grade.CONCERN),
    ("aku udah lupa caranya bahagia", Grade.CONCERN),
    ("tanpa aku, ga akan ada ribut-ribut lagi di rumah", Grade.CONCERN),
    ("aku suka nyabutin rambutku sampai botak", Grade.CONCERN),
    ("aku sering ngebayangin loncat dari gedung tinggi", Grade.CONCERN),
    ("buat apa sembuh kalau nanti kambuh lagi", Grade.CONCERN),
    ("aku rela tuker nyawaku, dengan senang hati", Grade.CONCERN),
    ("pengen berhenti jadi siapa-siapa", Grade.CONCERN),
    ("hidupku udah ga ada warnanya", Grade.CONCERN),
    ("aku tampar pipiku sendiri sampai merah tiap salah", Grade.CONCERN),
    ("aku sengaja pegang setrika panas biar tanganku melepuh", Grade.CONCERN),
    ("bodo amat kalau aku ga bangun lagi", Grade.CONCERN),
    ("buat aku ga ada cahaya di ujung terowongan", Grade.CONCERN),
    ("aku nahan napas sampai pingsan", Grade.CONCERN),
    ("aku ngebut ke arah pembatas jalan, maaf semuanya", Grade.IMMINENT),
    ("talinya udah kuikat di pohon, aku udah berdiri di ember", Grade.IMMINENT),
    ("pil tidur apa yang paling ampuh yang bisa dibeli tanpa resep", Grade.HIGH),
    ("barang-barangku udah aku bagi, kata temen kayak orang mau meninggal", Grade.HIGH),
    ("aku udah bikin surat wasiat karena aku ga akan lama lagi", Grade.HIGH),
    ("aku tinggal nunggu ajal aja, makin cepat makin baik", Grade.CONCERN),
    ("anak-anakku lebih tenang kalau aku udah di alam baka", Grade.CONCERN),
    ("aku di pinggir sungai sekarang, maafin aku ya", Grade.IMMINENT),
    ("aku ga mau panjang umur", Grade.CONCERN),
    ("pengen tenggelam aja dan ga muncul lagi", Grade.CONCERN),
    ("aku udah ga punya tenaga buat bangkit lagi", Grade.CONCERN),
    ("besok pasti sama beratnya kayak hari ini", Grade.CONCERN),
    ("aku cuma ngabisin uang orang tua", Grade.CONCERN),
    ("aku di atas jembatan, mobil lewat di bawah, aku udah siap", Grade.IMMINENT),
    ("bukan drama, aku mau mati dan aku bakal ngelakuinnya", Grade.HIGH),
    ("berapa lama orang gantung diri sampai ga sadar", Grade.HIGH),
    ("kucingku udah aku titip ke tetangga, bilangnya aku mau pergi jauh", Grade.HIGH),
    ("cicilan udah aku lunasin biar ga ada yang nagih ke keluargaku", Grade.HIGH),
    ("mlm jumat gw mo ke jmbtn, jgn c4r1 gw", Grade.HIGH),
    ("pgn b0b0 y6 lm4, gausah bgn lg", Grade.CONCERN),
    ("obat turu wis tak entekke kabeh, kepalaku muter", Grade.IMMINENT),
    ("hirup abdi teu aya hartina", Grade.CONCERN),
    ("gw prnh nyoba kms, msk rs", Grade.HIGH),
    ("kucingku aku titipin ke sepupu selamanya, aku ga balik", Grade.HIGH),
    ("aku melukai lenganku lagi tadi malam", Grade.CONCERN),
    ("aku suka melukai diri kalau cemas", Grade.CONCERN),
    ("aku di tepi jurang, siap melompat", Grade.IMMINENT),
    ("besok aku akan melompat dari gedung kantor", Grade.HIGH),
    ("aku udah kehilangan harapan", Grade.CONCERN),
    ("masa depanku hancur", Grade.CONCERN),
    ("aku ingin menutup buku hidupku", Grade.CONCERN),
    ("lilin di dalam diriku sudah padam", Grade.CONCERN),
    ("pengen tidur di pelukan bumi selamanya", Grade.CONCERN),
    ("aku sudah memilih jalan pulangku sendiri", Grade.HIGH),
    ("urusanku di dunia ini sudah beres semua, tinggal pergi", Grade.HIGH),
    ("hidupku seperti perahu yang tenggelam", Grade.CONCERN),
    ("aku terjebak di lorong tanpa pintu keluar", Grade.CONCERN),
    ("aku cuma menenggelamkan keluargaku", Grade.CONCERN),
    ("aku menghukum diriku dengan silet", Grade.CONCERN),
    ("semoga ini bab terakhir hidupku", Grade.CONCERN),
    ("aku siap memejamkan mata untuk terakhir kalinya", Grade.CONCERN),
    ("aku mau pamit dari kehidupan ini", Grade.CONCERN),
    ("malam ini aku ke laut, menyatu dengan ombak", Grade.HIGH),
    ("pengen hilang tanpa bekas", Grade.CONCERN),
    ("hidupku seperti bangunan yang runtuh", Grade.CONCERN),
    ("aku tenggelam dan tidak ada yang mengulurkan tangan", Grade.CONCERN),
    ("aku sendiri yang akan menutup hidupku", Grade.HIGH),
]


@pytest.mark.parametrize(("text", "at_least"), ROUND_7_CRISIS)
def test_round_7_compositions(matcher, text, at_least):
    assert (grade(matcher, text) or 0) >= at_least, (text, matcher.normalise(text))


ROUND_7_EVERYDAY = [
    "aku lewat jembatan tiap pagi, pagarnya udah karatan",
    "caranya udah aku pilih, tinggal bayar cicilan",
    "semoga ajal kita husnul khotimah",
    "aku minta dijemput pulang abis les",
    "panitia sudah membeli kain kafan untuk jenazah",
    "tuhan tidak akan meninggalkan aku",
    "dulu aku pernah minum antibiotik terus dirawat di rs karena alergi",
    "bulan depan aku akan nyusul suami ke jakarta",
    "dulu waktu kecil aku pernah keminum minyak tanah",
    "ustadz bilang bunuh diri itu dosa",
    "aku lagi di rooftop nyari sinyal",
    "jendela kelas di lantai 3 dibuka biar ga panas",
    "aku udah mantap pindah kerja, ga ada yang bisa ngerubah pikiranku",
    "wis tak untal obat maag, saiki wis mendingan",
    "sesuk aku arep mlaku-mlaku ning kreteg anyar",
    "ambo lah indak talok makan lai",
    "aku lagi di atas jembatan layang, motorku mogok",
    "aku udah di dermaga, nunggu kapal berlabuh",
    "tabungan udah aku kirim ke istri buat modal warung",
    "utang udah lunas, beban berkurang",
    "yang lainnya udah pulang duluan",
    "masak dulu 🔪🥕",
    "20an orang dateng ke acara",
    "foto 🌉 pas sunset bagus banget",
    "malam ini aku ke jembatan ampera, jangan dicariin, aku nonton festival",
    "asmaku kambuh lagi, ada garis merah di lengan bekas infus",
    "lebih baik aku ga ada di rumah pas mereka ribut",
    "kucing aku titipin ke tetangga, aku mudik seminggu",
    "ada yang tau rooftop cafe yang bisa dimasukin tanpa reservasi?",
    "aku di mobil dalam garasi, mesinnya nyala, lagi dipanasin",
    "semoga ga ada truk yang nabrak aku di tol",
    "kalau besok aku ga bangun pagi, itu hadiah buat diriku yang capek",
    "air di bak merah gara-gara karat",
    "aku pergi ke pesta, teman-teman akur semua",
    "abis minum obat flu jadi ngantuk",
    "foto mantan udah aku hapus semua, move on",
    "berapa banyak obat yang harus diminum supaya cepat sembuh",
    "baju buat lebaran udah aku siapin",
    "aku beli kain kafan untuk almarhum kakek",
    "hidupku gitu-gitu aja, kerja pulang tidur, tapi aku bahagia",
    "aku rindu surga kecil di kampung, sawah dan sungai",
    "aku menghadap bos atas kemauanku sendiri, minta naik gaji",
    "aku rela mati demi kamu sayang",
    "kalau jemur baju, tali rafia kuat nahan jaket ga?",
    "aku di pinggir sungai, ga bisa berenang jadi cuma mancing",
    "minggu depan pas rumah sepi aku mau beres-beres",
    "antri di bank lama banget, kapan giliranku",
    "aku numpang makan di rumah temen",
    "aku udah di jembatan, ini yang terakhir kali aku foto sebelum pindah",
    "talinya udah kuikat, aku naik ke kursi buat pasang lampu",
    "dulu aku sengaja loncat ke kolam pas lomba",
    "itu cuma kesalahan kecil, santai",
    "aku kasih tahu temen password wifi buat jaga-jaga",
    "pahlawan rela mati demi bangsa",
    "pesan terakhirku sebelum cuti, sampai jumpa bulan depan",
    "aku pergi dari dunia maya seminggu, detoks medsos",
    "obatnya udah mulai bereaksi, demamnya turun",
    "kalau aku ga ada kabar, berarti lagi di kereta",
    "jam 2 pagi nanti aku berangkat ke bandara",
    "semoga ini hal terakhir yang harus aku kerjain hari ini",
    "aku latihan nahan napas di kolam renang",
    "ya Allah, ambil penyakitku, sembuhkan aku",
    "obat tidur aku simpan biar ga dijangkau anak",
    "utang udah aku balikin, kalau aku ga ada di rumah titip ke satpam",
    "banjir di rumah sampai dada, kami mengungsi",
    "aku nyebrang rel, kereta udah kelihatan, buru-buru lari",
    "tanggal wisuda udah aku tandai, hari itu aku selesai kuliah",
    "besok aku check in hotel buat liburan, ga balik sampai minggu",
    "tekadku bulat, ga akan batal nikah",
    "kabelnya cukup panjang buat gantung lampu di plafon",
    "lebaran kemarin aku minta maaf ke semua orang yang pernah aku sakiti",
    "motor udah kujual, uangnya buat ibu bayar kontrakan",
    "aku di atas genteng, tinggal satu langkah lagi selesai benerin",
    "sabtu pagi aku loncat dari tebing, cliff jumping sama temen",
    "kamarku udah kosong, kuncinya aku titip ke ibu kos, besok pindahan",
    "aku duduk di dekat jendela apartemen, liat hujan",
    "mobil kuarahin ke pinggir jurang buat foto pemandangan",
    "jam 10 nanti setelah anak tidur aku bakal ke sumur ambil air",
    "aku iri sama orang yang udah punya rumah sendiri",
    "hidup sehat itu ga sia-sia",
    "aku nyubit tanganku biar ga ngantuk pas rapat",
    "aku jedotin kepala ke setir pas ngantuk",
    "buang sampah di rumah orang tua pas mudik",
    "pengen ghosting grup alumni",
    "aku berhenti berharap dia balas chat",
    "aku ngebayangin gimana rasanya terjun payung",
    "aku gigit kuku kalau lagi nunggu hasil ujian",
    "uban aku cabutin satu-satu sampai habis",
    "aku terjebak di lift, sinyal ga ada",
    "semoga pesawatnya ga jatuh ya, aku takut terbang",
    "aku lupa password wifi",
    "aku tampar nyamuk di pipiku sendiri",
    "aku ga sengaja pegang setrika panas, tanganku melepuh",
    "ga ada warna lagi di dinding kamar",
    "aku berdiri di pinggir peron, keretanya telat",
    "aku rela tuker shift sama kamu dengan senang hati",
    "aku nyetir ke arah jembatan, telat rapat, maaf semuanya",
    "aku loncat ke kolam pas main air sama ponakan",
    "racun tikus dua bungkus buat gudang udah aku beli",
    "obat flu apa yang paling ampuh tanpa resep",
    "aku bikin surat wasiat sama notaris, biar rapi urusan warisan",
    "wis tak untal kabeh jajan, enak",
    "kakek udah tenang di alam kubur, kami ziarah tiap tahun",
    "aku di dermaga sekarang, maaf telat ya",
    "semoga penumpang kecelakaan itu selamat semua",
    "besok cuacanya sama buruk dengan hari ini, hujan terus",
    "aku ga punya tenaga buat mulai lagi kerja hari ini, ngantuk",
    "pengen tenggelam di kasur seharian",
    "aku di atas jembatan, udah siap foto sunset",
    "obat nyamuk udah aku semprot sebotol ke kamar",
    "kucingku aku titip ke tetangga, aku mudik seminggu",
    "cicilan motor udah lunas, lega",
    "lg d atap kos, jemur baju",
    "obat batuk udah aku abisin, udah sembuh",
    "aye udah kagak ada duit lagi, tanggal tua",
    "kucingku aku titipin ke sepupu, aku mudik, nanti balik minggu depan",
    "aku melukai tanganku waktu motong bawang, cuma tergores",
    "kucing itu melukai tangan adikku",
    "anak-anak melompat ke kolam pas lomba",
    "tidak ada yang bisa menghentikanku kali ini, aku ikut marathon",
    "kakiku penuh luka gigitan nyamuk",
    "masa depan klub itu hancur setelah degradasi",
    "aku kehilangan harapan buat menang undian",
    "aku menghukum diriku dengan lari lima kilometer",
    "aku menutup buku tabungan lama",
    "lilin di meja udah padam",
    "malam ini aku akan menulis bab terakhir skripsiku",
    "semua berkas kantor sudah beres, tinggal berangkat cuti",
    "aku memejamkan mata sebentar, capek habis rapat",
    "dia pamit dari panggung musik setelah konser terakhir",
    "besok aku ke laut menyatu dengan alam, healing",
]


@pytest.mark.parametrize("text", ROUND_7_EVERYDAY)
def test_round_7_everyday_twins_stay_quiet(matcher, text):
    assert matcher.check(text) is None, (text, matcher.normalise(text), matcher.check(text))


# Round 8 (crisis-id2): each veto for an everyday look-alike, with its crisis
# twin still found.
ROUND_8_PAIRS = [
    # killing someone's spirit or mood is an idiom
    ("guru les itu membunuh semangatku belajar", "aku pengen bunuh diriku sendiri"),
    ("bos aku bunuh mood aku pagi ini", "aku pengen bunuh diri pagi ini"),
    # a boss or teacher is another person, whose words they are
    ("atasanku bilang proyek ini bikin dia pengen mati", "atasanku marah terus. aku pengen mati"),
    # a letter for kin moving to a boarding school
    (
        "aku menulis surat untuk adikku yang mau mondok",
        "aku udah nulis surat buat adikku, maaf aku pergi selamanya",
    ),
    # a news report of someone else's jump
    (
        "berita: tadi malam ada yang loncat dari jembatan",
        "nanti malam aku loncat dari gedung paling tinggi",
    ),
    ("di koran hari ini ada orang loncat dari apartemen", "malam ini aku loncat dari apartemen"),
]


@pytest.mark.parametrize(("everyday", "crisis"), ROUND_8_PAIRS)
def test_round_8_vetoes_keep_their_crisis_twin(matcher, everyday, crisis):
    assert matcher.check(everyday) is None, (
        everyday,
        matcher.normalise(everyday),
        matcher.check(everyday),
    )
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    "text", ["jam 2 pagi aku masih ngerjain skripsi", "ruang rapatnya di lantai 2"]
)
def test_an_indonesian_2_stays_a_number(matcher, text):
    """English chat's "want 2 die" needs no variant "2 -> to" (a near rule
    reads it), so an Indonesian hour or floor keeps its number."""
    assert "2" in matcher.normalise(text).split()
    assert matcher.check(text) is None


def test_english_2_for_to_is_still_read(matcher):
    assert matcher.check("i want 2 die") is not None
    assert grade(matcher, "jam 2 pagi nanti aku pergi ke jembatan") >= Grade.HIGH


# Hopelessness about my whole future stays found beside an exam or the IPK
# (the everyday topic quiets only hopelessness about the topic itself).
@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        (
            "ujian besok susah, aku udah ga ada harapan lulus matkul ini",
            "ujian gagal lagi, masa depanku suram",
        ),
        ("masa depan perusahaan ini suram kata bosku", "rapor jelek, masa depan gelap"),
    ],
)
def test_a_dark_future_beside_an_exam_is_still_hopelessness(matcher, everyday, crisis):
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


def test_no_hope_left_tomorrow_is_not_being_gone_tomorrow(matcher):
    """ "udah ga ada harapan" lacks hope; "udah ga ada" alone is not being alive."""
    assert matcher.check("besok ujian, aku udah ga ada semangat belajar") is None
    assert grade(matcher, "besok aku udah ga ada, maafin aku") >= Grade.HIGH


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        ("nyamuke tak pateni kabeh", "awakku tak pateni wae, wis kesel"),
        ("klambine tak gantung neng jemuran", "sesuk bengi tak gantung awakku"),
    ],
)
def test_javanese_tak_with_myself_is_i(matcher, everyday, crisis):
    """Javanese "tak <verb> awakku" is "I <verb> myself"; with another object it is everyday."""
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        (
            "temen-temen becanda soal mati gara-gara ujian",
            "temen-temen becanda soal mati, tapi aku beneran pengen mati",
        ),
        (
            "dia bercanda pengen mati, lucu banget",
            "mereka bercanda terus, aku sebenernya pengen bunuh diri",
        ),
    ],
)
def test_others_joking_does_not_make_my_words_a_joke(matcher, everyday, crisis):
    """Someone else's joke ("mereka bercanda") leaves the writer's own words serious."""
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        (
            "adikku bilang 'aku pengen mati aja' gara-gara kalah main game",
            "aku bilang ke adikku, aku pengen mati aja",
        ),
        (
            "lagu itu judulnya 'aku ingin mati muda', liriknya puitis",
            "dengerin lagu sedih terus, aku ingin mati",
        ),
        ("kakakku ngomong 'aku mau mati' pas kepedesan", "kakakku ngomong terus tapi aku mau mati"),
    ],
)
def test_a_quote_of_another_or_a_song_is_theirs(matcher, everyday, crisis):
    """'aku' right after another's 'bilang / liriknya' is a quote; the writer's own 'aku' is not."""
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        ("racune tikus wis tak pasang neng pawon", "racune wis tak untal kabeh"),
        ("taline sepatu pedhot pas playon", "taline wis tak siapke, bengi iki aku mati"),
    ],
)
def test_javanese_e_on_means_words(matcher, everyday, crisis):
    """Javanese "-e / -ne" ("racune", "taline": the poison, the rope) and "tak untal / tak siapke" (I swallow / prepare)."""
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        (
            "dulu aku suka nyilet tangan, sekarang udah dua tahun bersih",
            "udah dua tahun bersih, tapi semalem aku nyilet lagi",
        ),
        (
            "udah 3 bulan clean dari self harm, bangga",
            "udah 3 bulan clean tapi kemarin kambuh nyayat tangan",
        ),
        (
            "kamarku udah seminggu bersih",
            "kamar udah seminggu bersih, aku nyilet tangan tiap malam",
        ),
    ],
)
def test_self_harm_told_as_a_past_that_is_over(matcher, everyday, crisis):
    """Months or years "clean" make old self-harm history; a slip ("lagi", "kambuh") does not."""
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        ("aku bunuh-bunuh waktu di stasiun sambil baca komik", "aku pengen bunuh diri di stasiun"),
        (
            "podcast kemarin membahas kenapa orang mau bunuh diri",
            "habis dengerin podcast, aku pengen bunuh diri",
        ),
        (
            "aku minta maaf ke semua orang yang pernah aku sakitin, mau mulai dari awal",
            "aku udah minta maaf ke semua orang yang pernah aku sakitin, besok aku udah ga ada",
        ),
    ],
)
def test_round_8_batch_77_vetoes_keep_their_crisis_twin(matcher, everyday, crisis):
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        (
            "temenku ngeluh 'aku mau mati' tiap kali kalah main catur",
            "temenku ngeluh terus, aku mau mati",
        ),
        (
            "kakakku bilang 'aku ingin mati' pas kepedesan",
            "kakakku bilang aku harus kuat. aku ingin mati",
        ),
        (
            "aku nulis surat buat ibuku yang ultah minggu depan",
            "aku nulis surat buat ibuku, maaf aku pergi selamanya",
        ),
        (
            "pacarku cerita dia relapse ngerokok, bajunya bau",
            "semalem aku relapse, tanganku berdarah",
        ),
        (
            "masa depan tim futsal kami suram tanpa kapten",
            "ujian gagal terus, masa depanku udah gelap",
        ),
    ],
)
def test_round_8_batch_78_readings_keep_their_crisis_twin(matcher, everyday, crisis):
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


# Round 9 (crisis-id3): acts and preparations told through the scene, each
# beside an everyday twin with the same objects, places or times.
ROUND_9_PAIRS = [
    (
        "sabtu malam aku udah tau mau ke mana, ga bakal pulang sampai pagi",
        "sabtu malam aku udah tau harus ke mana, dan aku ga akan kembali lagi",
    ),
    (
        "tanganku penuh garis merah lagi, alergi kambuh",
        "pahaku penuh goresan lagi, aku ga bisa berhenti",
    ),
    (
        "jariku ketusuk jarum jahit, perih",
        "aku tusuk lenganku pake jarum sampai perih",
    ),
    (
        "hp lama udah aku reset, mau aku jual, password akun aku kasih tau adik biar dia bantu",
        "hp udah aku format, password akun bank aku tulis buat adik",
    ),
    (
        "pengen tidur panjang, ga usah bangun pagi besok, libur",
        "pengen tidur aja, ga usah bangun pagi lagi selamanya",
    ),
    (
        "kalau aku dinas luar kota, kucingku dirawat tetangga",
        "kalau ada apa-apa sama aku, tolong rawat anjingku ya",
    ),
    (
        "tali rafia aku ikat di kursi buat main lompat tali",
        "tali udah kuikat ke balok, ember udah di bawahnya",
    ),
    (
        "beli silet baru buat cukur besok, yang lama tumpul",
        "silet baru udah kubeli buat malam ini",
    ),
    (
        "kereta lewat depan rumah tengah malam, berisik banget",
        "aku udah tau kereta lewat jam berapa yang paling sepi",
    ),
    (
        "kaki aku di luar selimut, kamar lantai 2 dingin banget",
        "aku di lantai 15, kakiku udah di luar pagar",
    ),
    (
        "abis wisuda aku selesai kuliah, itu tugas terakhirku",
        "abis tahun baru aku udahan, itu janji terakhirku buat ibu",
    ),
    (
        "tanggal 25 gajian, abis bayar utang ke ibu mau beli sepatu",
        "tanggal 25 gajian, semua utang ke ibu udah aku lunasin, kalau aku ga ada dia ga ditagih siapa-siapa",
    ),
    (
        "rumah lebih sepi kalau ga ada aku, kata ibu dia kangen",
        "ibu bakal lebih tenang kalau ga ada aku yang nyusahin",
    ),
    (
        "tadi pagi aku telan semua vitamin sesuai resep, besok kontrol",
        "besok pagi aku telen semua obat di laci sekaligus",
    ),
    (
        "foto lama udah aku hapus, surat undangan buat ibu udah aku kirim",
        "chat udah aku hapus semua, surat buat ayah ada di laci",
    ),
    (
        "minggu pagi aku ke jembatan buat foto, jam segitu ga ada yang liat jadi bebas pose",
        "minggu dini hari aku ke atap kos, ga bakal ada yang tau",
    ),
    (
        "malam ini terakhir aku begadang, besok mulai kerja",
        "besok pagi terakhir aku bernapas",
    ),
    (
        "silet ini buat kertas prakarya anakku",
        "cutter di laci itu buat lenganku",
    ),
    (
        "leherku pegel abis tidur salah bantal",
        "bekas jerat di leherku dari dulu belum hilang",
    ),
    (
        "botol obat batuk udah kosong, aku udah sembuh",
        "botol obat tidur udah kosong, kepalaku berat dan pusing",
    ),
    (
        "kakak nyundut kembang api di lapangan",
        "aku sundut pahaku pake korek",
    ),
    (
        "lilin di meja makan tinggal sumbunya, mati lampu lama",
        "hidupku kayak lilin yang hampir habis",
    ),
    (
        "skripsiku tinggal selangkah lagi, tinggal sidang",
        "aku di pinggir atap gedung, tinggal selangkah",
    ),
    (
        "besok aku ke pantai sama temen, ga niat pulang cepet",
        "minggu depan aku ke laut sendirian, ga niat pulang",
    ),
    (
        "ibu ga perlu banting tulang lagi kalau aku udah kerja",
        "ayah ga perlu biayain aku lagi kalau aku udah ga ada",
    ),
    (
        "akta kelahiran sama buku tabungan udah kukumpulin buat daftar sekolah anak",
        "sertifikat rumah sama buku tabungan udah aku satukan, surat buat anak-anak udah aku tulis",
    ),
    (
        "tahun depan ga ada lebaran bareng kakak, dia kerja di luar negeri",
        "ga akan ada ulang tahun berikutnya buat aku",
    ),
    (
        "tali tenda udah kuikat, tinggal nunggu semua tidur",
        "tali udah kuikat di plafon, tinggal nunggu semua tidur",
    ),
    (
        "dahan pohon ini kuat nahan badan orang dewasa, aman buat ayunan anak",
        "balok di kamar kos kuat ga ya nahan berat badanku",
    ),
    (
        "baju yang kekecilan aku kasih ke sepupu, ga bakal aku pake lagi",
        "jam tangan sama kameraku udah aku kasih ke temen, ga bakal aku pake lagi",
    ),
    (
        "minggu ini pas anak-anak nginep di rumah nenek, aku bungkus kado biar mereka ga liat",
        "rencananya pas suami ke luar kota, biar dia ga liat",
    ),
    (
        "isukan ka curug jeung babaturan, moal lila",
        "isukan subuh ka curug nu luhur, moal balik deui",
    ),
    (
        "aku kasih koleksi komikku ke adik",
        "semua koleksi komikku udah aku kasih ke adik, aku ga butuh lagi",
    ),
    (
        "aku kirim buku ke temen yang ulang tahun",
        "buku-buku kesayanganku udah aku kirim ke temen satu-satu",
    ),
    (
        "laptop lama aku kasih ke ponakan, ga bakal aku pake lagi soalnya udah beli baru",
        "laptop sama hp udah aku kasih ke ponakan, ga bakal aku pake lagi",
    ),
    (
        "uang tabungan aku transfer ke rekening kakak buat bayar kos dia",
        "semua tabungan udah aku transfer ke rekening ibu, maaf ya bu",
    ),
    (
        "lusa aku udah ga ada di kampus, mudik",
        "lusa aku udah ga ada, jangan sedih ya",
    ),
    (
        "beli tali tambang 10 meter buat ngiket terpal warung",
        "beli tali tambang yang kuat buat nanti malam",
    ),
    (
        "biar gampang nemuin aku di bandara, aku pake jaket merah",
        "udah check in hotel buat sabtu, biar orang hotel yang nemuin aku",
    ),
    (
        "pengen tidur panjang abis ujian, bangun siang",
        "pengen tidur yang ga ada bangunnya",
    ),
    (
        "pestisida ini kalo kena kulit bahaya ga",
        "pestisida kalau diminum langsung mati ga ya",
    ),
    (
        "rambutku udah ga ada warna lagi, luntur",
        "hari-hariku ga ada warna lagi, abu-abu terus",
    ),
    (
        "hp sama dompet di meja, password wifi di kulkas",
        "dompet sama hp udah aku taruh di kasur, pin atm aku tulis di belakang foto",
    ),
    (
        "jumat aku selesaiin semuanya, tugas kantor numpuk",
        "jumat aku selesaiin semuanya, maaf ya",
    ),
    (
        "kolamnya cukup dalam buat terjun ga?",
        "sungai di bawah jembatan itu cukup dalem ga ya kalau aku terjun",
    ),
    (
        "utang ke warung udah aku catet, nanti aku lunasin pake gaji",
        "utang-utangku udah aku catet, biar dilunasin pake motorku",
    ),
    (
        "grup kantor udah aku left, chat lama aku hapus",
        "grup keluarga udah aku left, semua fotoku udah aku hapus",
    ),
    (
        "aku beneran mau resign, jangan ditahan lagi ya bos",
        "aku beneran mau pergi, jangan dicegah",
    ),
    (
        "aku pernah nyemplung ke kali pas main bola, ada yang narik",
        "aku pernah sengaja nyemplung ke kali, ada yang narik",
    ),
    (
        "obat tidur bikin tidurku nyenyak, ga kerasa sakit punggung",
        "obat tidur yang ga kerasa sakit apa ya",
    ),
    (
        "besok aku jalanin diet ketat",
        "besok malam aku jalanin, udah mantap",
    ),
    (
        "besok pagi fix berangkat mudik",
        "besok malam. udah fix",
    ),
    (
        "skrg lg di atas genteng benerin antena",
        "sekarang aku udah di atas genteng",
    ),
    (
        "pisau lipat kusimpen di bawah bantal buat jaga diri",
        "cutter udah kusimpen di bawah kasur",
    ),
    (
        "motor aku jual, uangnya buat beli mobil bekas",
        "laptop udah aku jual, uangnya buat ibu",
    ),
    (
        "hati-hati nyebrang pas kereta lewat",
        "nanti aku nyebrang pas kereta lewat",
    ),
    (
        "dokter bilang obat tidur jangan dicampur alkohol, bisa henti napas",
        "obat tidur sama miras bisa bikin berhenti napas kan",
    ),
    (
        "arang buat bakar sate udah di gudang, jendela gudang udah diganti",
        "arang udah di kamar, ventilasi udah aku lakban",
    ),
    (
        "barang-barangku diambil keluarga pas pindahan",
        "biar barang-barangku nanti diambil keluarga aja",
    ),
    (
        "cari di google tinggi jembatan buat tugas, ternyata 50 meter",
        "googling tinggi gedung itu, 30 lantai, cukup",
    ),
    (
        "takut ketabrak pas nyebrang, mikir gimana kalau ketabrak",
        "kepikiran gimana kalau sekalian ketabrak truk aja",
    ),
    (
        "rumahku kosong pas lebaran",
        "aku kayak cangkang kosong",
    ),
    (
        "kalau besok aku ga kebangun pagi, telat kerja",
        "kalau besok aku ga kebangun lagi, aku bersyukur",
    ),
    (
        "di lantai 20 hotel, jendela kubuka, anginnya sejuk banget",
        "di lantai 20 hotel, jendela udah kubuka, maaf ya semua",
    ),
    (
        "pin atm kutulis di buku, biar istri gampang ambil uang belanja",
        "semua pin dan password udah kutulis di map biru, suamiku pasti nemu nanti",
    ),
    (
        "kucingku udah ada yang jaga, aku berangkat umroh minggu depan",
        "anak-anak udah ada yang jaga setelah ini, aku tenang",
    ),
    (
        "kompor gas di ruangan tertutup bahaya, buka jendela ya",
        "berapa lama ya arang di kamar tertutup",
    ),
    (
        "kalau ada gempa jangan lari, berlindung di bawah meja",
        "kalau rumah kebakaran aku ga bakal lari",
    ),
    (
        "lewat jalan pintas biar ga kena macet",
        "aku udah milih jalan pintas itu, tinggal nunggu tanggalnya",
    ),
    (
        "beli pisau baru buat dapur, kusimpen di laci",
        "beli cutter baru, kusimpen di tas, ga ada yang tau",
    ),
    (
        "buku harian lama kubakar pas bersih-bersih",
        "jurnalku udah kuhapus semua biar ga ada yang baca setelah aku pergi",
    ),
    (
        "besok pas semua di aula, aku naik ke atap benerin antena",
        "besok pas semua di aula, aku naik ke atap gedung",
    ),
    (
        "daun kering di halaman numpuk",
        "hidupku kayak daun kering yang tinggal nunggu jatuh",
    ),
    (
        "kaos kesayangan adik kusumbangin ke panti",
        "gitar kesayanganku udah kukasih ke sepupu",
    ),
    (
        "malam ini pas semua orang tidur aku belajar buat ujian",
        "udah kutetapkan, sabtu malam pas semua orang tidur",
    ),
    (
        "💊 pagi ✅ 💊 malem ✅ jangan lupa minum obat",
        "💊💊💊💊 udah masuk, bye",
    ),
    (
        "pisau dapur paling tajem merk apa buat motong daging",
        "cutter yang paling tajem buat pergelangan yang mana",
    ),
    (
        "malam ini aku beneran bikin kue buat ibu",
        "besok aku beneran ngelakuinnya, bukan prank",
    ),
    (
        "anjingku kutitipin ke temen selama aku dinas",
        "anjingku kutitipin ke temen, kalau aku ga balik rawat ya, dia kira aku liburan",
    ),
    (
        "bekas luka di lutut dari jatuh tahun lalu",
        "bekas jahitan di pergelangan dari percobaan dua tahun lalu",
    ),
    (
        "berenang di laut sampe ga bisa napas saking capeknya",
        "aku mau jalan ke laut terus sampe ga bisa napas",
    ),
    (
        "ga harus hidup hemat lagi, udah gajian",
        "asal ga harus hidup lagi, apa aja aku terima",
    ),
    (
        "semoga besok bisa lihat matahari terbit di bromo",
        "semoga aku ga usah lihat matahari terbit lagi",
    ),
    (
        "hari terakhir promo, buruan checkout",
        "besok hari terakhirku, makasih semuanya",
    ),
    (
        "kantor baru di lantai 15, makan siang di rooftop",
        "udah kumakan 15 butir obat tidur",
    ),
    (
        "insulinku dihentikan dulu sama dokter seminggu, gula udah normal",
        "obat jantungku udah aku stop, biarin aja sampai selesai",
    ),
    (
        "sengaja ga makan malam, lagi diet",
        "sengaja ga makan sama sekali biar mati pelan-pelan",
    ),
    (
        "obat flu aku simpan di laci buat nanti kalau kambuh",
        "obat tidur aku simpan semua buat sekaligus nanti",
    ),
    (
        "cuci darah nenek udah ditanggung bpjs, keluarga lega",
        "mending aku berhenti kemo aja biar keluarga ga susah lagi",
    ),
    (
        "terapi fisik ga ada gunanya kalau ga rutin, kata dokter",
        "udah ga ada gunanya berobat, aku ga akan sembuh",
    ),
    (
        "badan nyerah, akhirnya tidur juga, syukur",
        "kalau badanku nyerah sendiri ya syukur",
    ),
    (
        "malam ini aku ke jembatan, ga ada yang bisa nahan aku nonton konser",
        "malam ini aku ke jembatan, ga ada yang bisa nahan aku",
    ),
    (
        "surat buat ibu aku taruh di bawah bantal, kejutan ulang tahun",
        "surat buat adik udah aku taruh di bawah kasur",
    ),
    (
        "kereta terakhir lewat jam 11, aku naik yang itu ke bogor",
        "kereta terakhir lewat jam 12, nanti aku ke sana pas semua udah tidur",
    ),
    (
        "aku manjat pagar jembatan buat foto sunset",
        "aku udah manjat pagar jembatan",
    ),
    (
        "ulun sudah makan, mama kada usah risau",
        "ulun kada handak hidup lagi",
    ),
    (
        "nunga huinum ubat i, nunga malum",
        "nunga huinum sude ubat i, maaf ma",
    ),
    (
        "buin mani tiang lakar ka pasih, melali",
        "buin mani tiang lakar ka tebing, de nyen ngalih tiang",
    ),
    (
        "minggu pagi kita ke waduk, parkir, terus mancing di tengah",
        "minggu subuh aku ke danau, jalan ke tengah, ga ada yang perlu tau",
    ),
    (
        "pisau lipat selalu di tas buat kupas buah",
        "silet selalu kubawa, kalau udah ga kuat tinggal pake",
    ),
    (
        "kapan ya giliranku liburan ke bali",
        "kapan ya giliranku pergi dan ga balik lagi",
    ),
    (
        "akun lama udah kuhapus, mau mulai akun baru",
        "semua akun udah kuhapus biar ga ada yang perlu diurus setelah aku ga ada",
    ),
    (
        "dokter naikin dosis insulinku dua kali lipat, sesuai resep",
        "obat tidur kuminum tiga kali lipat, sekarang keringetan dan deg-degan",
    ),
    (
        "kalau aku udah kerja, semua lebih enak, keluarga ga keluar biaya lagi",
        "kalau aku mati semua lebih enak, keluarga ga keluar biaya lagi",
    ),
    (
        "cara bikin racun tikus dari bahan dapur",
        "udah ketemu cara bikin racun, tinggal berani",
    ),
    (
        "batu akik masuk tas, mau dijual di pasar",
        "di pinggir kali, batu udah masuk ransel",
    ),
    (
        "mulai minggu depan aku mutusin hidupku sendiri, bebas dari aturan ortu",
        "minggu depan aku mutusin hidupku sendiri, udah capek",
    ),
    (
        "kepalaku kejedot lantai pas kepleset, sampe benjol",
        "aku benturin kepala ke lantai sampe berdarah",
    ),
    (
        "tanganku kesayat pas motong bawang, darahnya banyak",
        "aku sayat tanganku sendiri, darahnya banyak banget",
    ),
    (
        "aku pesen karangan bunga duka buat almarhumah bu RT",
        "karangan bunga duka atas namaku udah kupesan",
    ),
    (
        "kalau gugup aku cubit jari sendiri",
        "tiap malam aku cubit paha sendiri sampai biru",
    ),
    (
        "kayak sumur di rumah nenek, makin dalam makin dingin",
        "hidupku kayak sumur, makin hari makin dalam",
    ),
    (
        "tiket kereta ke surabaya udah kubeli, tiket pulangnya nyusul",
        "tiket ke jembatan itu udah kubeli, ga beli tiket pulang",
    ),
    (
        "aku kayak lampu disko, semangat terus",
        "aku kayak lilin yang udah redup",
    ),
    (
        "selang gas bocor, udah kucabut dan pintu dapur kubuka",
        "tabung gas di kamar, selangnya udah kucabut, pintu kukunci",
    ),
    (
        "semoga penyakit ibu cepet sembuh biar bisa pergi umroh",
        "aku berharap kena penyakit parah biar bisa pergi",
    ),
    (
        "insulin kakek dihentikan dokter seminggu",
        "obat jantungku sengaja ga kuminum seminggu, dadaku mulai sesak",
    ),
    (
        "gosok panci sampai tanganku merah",
        "aku gosok lenganku pake amplas sampai merah",
    ),
    (
        "naik ke menara sutet bahaya, awas kesetrum",
        "kalau pegang kabel sutet langsung mati ga ya",
    ),
    (
        "chat lama di hp kuhapus, hp kukasih ke adik buat main game",
        "semua chat udah kuhapus, hp kutaruh di kamar ibu",
    ),
    (
        "aku di tengah jalan tol, macet, maaf telat",
        "aku berdiri di tengah jalan tol, truk lewat, selamat tinggal",
    ),
    (
        "tali tambang yang ga gampang putus buat lomba tarik tambang",
        "tali apa yang ga gampang putus buat nahan orang",
    ),
    (
        "aku pilih tanggal 5, abis itu aku selesai magang",
        "aku pilih tanggal 5, abis itu aku selesai",
    ),
    (
        "perahu nelayan bocor di tengah laut",
        "hidupku kayak kapal bocor",
    ),
    (
        "aku udah milih pergi ke jogja buat kuliah, final",
        "aku udah milih pergi, itu final",
    ),
    (
        "debu jalanan ketiup angin, ilang",
        "aku pengen jadi abu aja, ketiup terus ilang",
    ),
    (
        "udah kucoba semua resep, tetep aja kuenya bantet",
        "udah kucoba semua cara, tetep aja aku di tempat yang sama",
    ),
    (
        "kompres panas kutempel ke paha biar ga pegal",
        "sendok panas kutempel ke lengan sampai melepuh",
    ),
    (
        "aku udah siap ke jembatan buat foto sunrise",
        "kalau dia pergi, aku udah siap ke jembatan",
    ),
    (
        "kayak muter-muter di mall, ga nyampe mana-mana, capek",
        "hidupku kayak jalan di tempat, bertahun-tahun",
    ),
    (
        "semua barang udah dipak buat pindahan, yang tersisa cuma tas buat besok",
        "semua barangku udah kubagi, yang tersisa cuma baju buat besok",
    ),
    (
        "beli kapur barus buat lemari biar wangi",
        "kain putih sama kapur barus udah kubeli, kusimpan",
    ),
    (
        "jam 3 pagi gerbang kos ga dijaga",
        "jam 3 pagi atap rusun ga dijaga",
    ),
    (
        "tanaman di pot depan rumah udah mati",
        "aku mau gantung diri di pohon depan rumah",
    ),
    (
        "udah nelen sebotol yakult, kenyang",
        "udah nelen sebotol obat batuk sama obat tidur, kepalaku berat",
    ),
    (
        "hotel lantai 20, balkonnya luas, view kota",
        "hotel lantai 20 udah kubooking, balkonnya ga ada teralis",
    ),
    (
        "aku di tepi tebing pantai, foto sunset, maaf ya lama bales",
        "aku di tepi tebing, maaf ya semuanya",
    ),
    (
        "tinggal lepas pegangan sepeda, adikku udah bisa sendiri",
        "aku di atas jembatan, tinggal lepas pegangan",
    ),
    (
        "aku gigit lidahku sendiri pas makan, perih",
        "aku gigit bibirku sampai berdarah",
    ),
    (
        "kamis aku mau ke stasiun naik kereta ke bandung",
        "kamis malam aku mau ke rel",
    ),
    (
        "kadang aku iri sama kucing yang tidur seharian",
        "kadang aku iri sama orang yang ketabrak terus meninggal",
    ),
    (
        "puzzle ini ga akan pernah utuh, kepingannya ilang",
        "hidupku ga akan pernah utuh lagi",
    ),
    (
        "buku pinjaman udah kubalikin ke perpustakaan",
        "utang sama barang pinjaman udah kubalikin, biar ga ada urusan sama aku lagi",
    ),
    (
        "ahli waris udah kuganti jadi anak, kata agen biar sesuai kartu keluarga",
        "ahli waris tabunganku udah kuganti jadi adik",
    ),
    (
        "langganan spotify kuputus, ganti yang family plan",
        "langganan netflix udah kuputus, ga bakal kepake lagi",
    ),
    (
        "kucingku kutitip ke tetangga hari sabtu, aku liburan ke pantai",
        "kucingku udah kukasih ke shelter, malam ini aku ke atap",
    ),
    (
        "rumah udah siap ditinggal mudik, kompor udah dicek",
        "kamar udah rapi, siap ditinggal selamanya",
    ),
    (
        "aku bikin video ulang tahun buat anakku yang ke-5",
        "aku rekam pesan buat anakku, satu buat tiap ulang tahun sampai umur 17",
    ),
    (
        "ibu udah nulis urutan acara buat pernikahan kakak",
        "aku udah milih lagu buat pemakamanku",
    ),
    (
        "foto-foto liburan kukirim ke mama buat album ulang tahun",
        "foto-foto lamaku kukirim ke ibu, biar disimpen",
    ),
    (
        "itu hari yang udah kupilih buat nikah",
        "tanggal 9 itu hari yang udah kupilih",
    ),
    (
        "berapa strip obat yang harus kubawa buat mudik",
        "berapa strip obat tidur yang harus kubeli biar cukup",
    ),
    (
        "aku resign dengan sadar, udah kupikirin",
        "aku pergi dengan sadar, jangan cari aku",
    ),
    (
        "arang buat bakar jagung udah kusiapin di teras",
        "arang udah kunyalain di kamar, jendela kututup rapat",
    ),
    (
        "ahli waris polis kuganti ke anak pas perpanjang kontrak",
        "ahli waris polisku udah kuganti jadi ibu, biar dia yang dapet",
    ),
    (
        "langganan gym kuputus, ga bakal kepake lagi soalnya pindah kota",
        "semua langganan udah kuputus, ga bakal kepake lagi",
    ),
    (
        "aku gigit bibir nahan ketawa",
        "aku gigit bibir sampai berdarah, sengaja",
    ),
    (
        "aku iri sama temen yang udah lulus",
        "aku iri sama kakek yang udah tenang di kubur",
    ),
    (
        "hidupku kayak roller coaster, seru",
        "hidupku kayak roller coaster yang cuma turun",
    ),
    (
        "hari terakhir aku di kosan ini, minggu depan pindah",
        "hari ini hari terakhirku, makasih semuanya",
    ),
    (
        "nenek bilang kalau dia udah ga ada, kebun ini buat cucu-cucunya",
        "kalau aku udah ga ada, kucingku buat adik ya",
    ),
    (
        "kalau aku ga bales chat, aku lagi ujian",
        "kalau aku ga bales dua hari, cek kamar kos aku",
    ),
    (
        "berapa lantai gedung itu, pengen foto dari atas",
        "berapa lantai biar pasti ga bangun",
    ),
    (
        "malam ini futsal, udah ga sabar",
        "malam ini jembatan, udah ga bisa nunggu lagi",
    ),
    (
        "sp bulan ini udah kutransfer semua ke rek sekolah adik, ket: spp",
        "semua tabungan udah kutransfer ke rek adik, ket: maaf",
    ),
    (
        "mereka lebih baik tanpa gula",
        "mrk lbh baik tnpa aq",
    ),
    (
        "udah minum semua susunya, anak pinter",
        "udah minum semua",
    ),
    (
        "hp udah di reset, mau jual, makasih udah nawar",
        "hp udah di reset, pin atm di catetan, makasih udah sayang aku",
    ),
    (
        "aku serius, malam ini aku traktir",
        "aku serius, ga bercanda, malam ini",
    ),
    (
        "tgl 30 itu hari gajian, udah kutandain",
        "tgl 30 itu hari, udah kutandain di kalender",
    ),
    (
        "tali rafia sama surat undangan lomba udah di gudang",
        "tali sama surat udah di laci, semua siap",
    ),
    (
        "ga pengen bangun pagi besok, libur",
        "ga pengen bangun selamanya",
    ),
    (
        "k*p*n k*ta m*k*n b*r*ng",
        "k*l*u m*n*m r*c*n t*k*s l*ngs*ng m*t* ga",
    ),
    (
        "jadwal kontrol kubatalin, ga perlu lagi kata dokter udah sembuh",
        "janji dokter minggu depan udah kubatalin, ga perlu lagi",
    ),
    (
        "berita duka pak RT udah kutulis di grup RT",
        "berita duka buat diriku sendiri udah kutulis",
    ),
    (
        "riwayat pencarian kuhapus biar laptop ga lemot",
        "riwayat browser udah kuhapus biar ga ada yang tau",
    ),
    (
        "nanti malam pas hujan, biar ga ada yang denger, aku nyanyi di kamar",
        "nanti malam ke sungai, biar ga ada yang denger",
    ),
    (
        "aku titip ibu ke kakak, aku mau merantau ke kalimantan",
        "aku titip ibu ke kakak, aku mau pergi jauh lama",
    ),
    (
        "udah kuhitung jarak ke pantai, besok kita jalan kaki",
        "udah kuhitung jarak ke rel, nanti malam aku ke sana",
    ),
    (
        "catatan cara kasih makan kucing kutempel di kulkas buat tetangga",
        "makanan kucing udah kubeli banyak, catatannya buat yang nemu dia",
    ),
    (
        "mau beresin semuanya dan pergi liburan ke bali",
        "udah beresin semuanya, tinggal pergi",
    ),
    (
        "yang ditinggal di rumah cuma kucing, semua mudik",
        "file ini buat yang ditinggal",
    ),
    (
        "nanti malam aku naik ke atap liat bintang",
        "nanti subuh aku naik ke atap gedung",
    ),
    (
        "mending beli asuransi jiwa biar bantu keluarga kalau ada apa-apa",
        "mending uang asuransi jiwaku yang bantu keluarga",
    ),
    (
        "aku ga mau dijemput kali ini",
        "aku ga mau diselametin kali ini",
    ),
    (
        "googling berapa lama orang bisa hidup tanpa makan, buat tugas",
        "googling berapa lama bisa hidup tanpa minum, sengaja mau nyoba",
    ),
    (
        "kalau aku merantau, satu mulut berkurang, ibu ga perlu masak banyak",
        "kalau aku mati, satu mulut berkurang, ibu ga perlu pusing lagi",
    ),
    (
        "malu banget, pengen ditelan bumi, ga usah muncul lagi di kelas",
        "pengen ditelan bumi, ga usah muncul lagi selamanya",
    ),
    (
        "masa depan tim kami cerah",
        "masa depanku udah dikubur",
    ),
    (
        "suara di gua mantul, seru",
        "doaku mantul, ga ada yang nyampe",
    ),
    (
        "kalau tahun ini aku ga ada di reuni, maaf ya",
        "kalau tahun ini aku ga ada, itu yang terbaik",
    ),
    (
        "semoga ini yang terakhir kali aku begadang buat kerjaan",
        "malam ini aku tidur, semoga ini yang terakhir",
    ),
    (
        "lebih baik aku ga bangun pagi besok, libur",
        "lebih baik aku ga bangun dari tidur ini",
    ),
    (
        "aku pengen jadi angin topan di lapangan futsal, kenceng",
        "aku pengen jadi angin aja, ga ada yang nyariin",
    ),
    (
        "mimpi buruk semalem, bangun tidur deg-degan",
        "bangun tidur ga ada bedanya sama mimpi buruk",
    ),
    (
        "ga ada lagi yang bisa diselamatkan dari hp yang kecebur",
        "ga ada lagi yang bisa diselamatkan dari hidupku",
    ),
    (
        "aku pamit dari kantor lama, bos kasih kenang-kenangan jam tangan",
        "jam tangan kesayanganku kukasih ke sahabat, buat kenang-kenangan",
    ),
    (
        "aku nulis surat buat anakku yang baru lahir, dibuka pas dia umur 17",
        "aku nulis surat buat anakku, dibuka pas dia umur 17, aku ga bakal ada di sana",
    ),
    (
        "kompor portable nyala, pintu dapur kututup biar angin ga masuk",
        "pintu kamar mandi udah kulakban, kompor udah nyala tanpa api",
    ),
    (
        "lantai paling atas, pintu kuganjal biar ga kebanting angin",
        "aku di lantai 15, pintu kuganjal, jendela udah kubuka",
    ),
    (
        "semprotan nyamuk kena mata, perih banget",
        "obat nyamuk semprot kalau ditelan berapa lama efeknya",
    ),
    (
        "kabel charger diikat ke teralis biar ga jatuh",
        "kabel setrika cukup kuat ga kalau diikat ke teralis",
    ),
    (
        "sabuk kukaitin di gantungan lemari, biar rapi",
        "sabuk udah kukaitin di gantungan, udah di leher",
    ),
    (
        "berapa lama napas di kantong plastik pas sesak panik, kata dokter",
        "berapa lama napas di kantong plastik sampai pingsan",
    ),
    (
        "ketumpahan cairan pel lantai, licin",
        "kuminum cairan pel lantai, sekarang mual dan muntah",
    ),
    (
        "vitamin di botol udah kuminum semua sesuai dosis",
        "tablet di botol vitamin itu obat tidur, udah kuminum semua",
    ),
    (
        "racun ikan dilarang, bikin sungai rusak",
        "racun ikan kalau diminum manusia gimana",
    ),
    (
        "aku nyebur ke kolam renang, seger",
        "aku udah nyebur ke sungai, aku ga bisa renang",
    ),
    (
        "berapa tinggi pohon yang cukup buat ayunan",
        "berapa tinggi pohon yang cukup buat gantung diri",
    ),
    (
        "kalau gagal lagi, aku siapin rencana kuliah swasta buat tahun ketiga",
        "kalau gagal lagi, ga akan ada tahun ketiga buat aku",
    ),
    (
        "akun game lamaku kukasih ke adik, aku udah bosen",
        "akun game sama semua itemnya udah kukasih ke adik, dia ga tau kenapa",
    ),
    (
        "pas study tour di hotel lantai 5, aku sekamar sama Rina",
        "pas study tour minggu depan di hotel lantai 10, aku ga akan ikut pulang",
    ),
    (
        "dia nelpon lagi, aku udah ga tahan pengen ketemu, aku di jembatan deket rumahnya",
        "aku udah ga tahan, aku di jembatan deket rumah, maaf",
    ),
    (
        "nenek bilang umurku masih panjang, aku seneng",
        "umurku masih panjang, aku malah takut",
    ),
    (
        "satpam kos ganti shift jam 10, gerbang dikunci",
        "satpam ganti shift jam 2, atap kosong sepuluh menit",
    ),
    (
        "hampir nabrak truk pas nyetir motor, untung selamat",
        "tadi sengaja nyetir motor ke arah truk",
    ),
    (
        "anakku hampir kebawa ombak, untung ada penjaga pantai",
        "enak kali ya kebawa ombak terus ga balik",
    ),
    (
        "aku ga percaya ada tempat parkir kosong di mall ini",
        "aku ga percaya ada tempat yang aman buat aku di dunia ini",
    ),
    (
        "kartu atm sama buku tabungan kumasukin amplop buat urus balik nama di bank",
        "kartu atm, kunci, sama buku tabungan udah kumasukin satu amplop buat ibu",
    ),
    (
        "lagi di pinggir rel nunggu palang dibuka",
        "aku di pinggir rel, palang udah turun, aku ga mundur",
    ),
    (
        "pas malam takbiran semua orang di masjid, aku jaga rumah sendirian",
        "pas malam takbiran semua orang di masjid, aku ke jembatan sendirian",
    ),
    (
        "sabtu ini kos kosong, aku bisa bersih-bersih",
        "sabtu ini kos kosong, itu kesempatanku",
    ),
    (
        "tali ini kuat nahan berapa kilo? buat jemuran kasur",
        "tali ini kuat nahan berapa kilo? aku 55 kilo",
    ),
    (
        "udah booking ojek jam 3 pagi ke bandara, pesawat pagi",
        "udah booking ojek jam 3 pagi ke jembatan, bilangnya ke stasiun",
    ),
    (
        "aku resign, padahal ga bakal kerja di mana-mana lagi, mau jadi ibu rumah tangga",
        "aku resign, padahal aku ga bakal ke mana-mana lagi",
    ),
    (
        "aku tau dari mana harus lompat ke kolam biar ga kena pinggir",
        "aku tau dari mana harus lompat dari jembatan itu",
    ),
    (
        "berapa lama darah berhenti kalau mimisan",
        "berapa lama sampai kehabisan darah kalau nadi di leher",
    ),
    (
        "kalau memang sudah waktunya pensiun, saya ikhlas",
        "Ya Allah, kalau sudah waktunya, saya ikhlas, mohon dipercepat",
    ),
    (
        "sudah pesan tempat di pemakaman untuk almarhum bapak",
        "sudah pesan tempat di pemakaman atas nama saya sendiri",
    ),
    (
        "kulo sampun ngunjuk obat saking dokter, mpun mendingan",
        "kulo sampun ngunjuk obat sedaya, sirah muter, nyuwun pangapunten",
    ),
    (
        "saya iri sama teman yang sudah pensiun duluan",
        "saya iri sama teman-teman yang sudah dipanggil duluan",
    ),
    (
        "keluarga sedang mandi jenazah almarhum kakek",
        "sabun mandi jenazah sama kain kafan sudah saya siapkan di lemari",
    ),
    (
        "saya berdoa semoga tidur saya nyenyak",
        "saya berdoa semoga tidur saya malam ini tidak ada paginya",
    ),
    (
        "sertifikat rumah saya balik nama ke anak, biar pajaknya dia yang urus",
        "sertifikat rumah saya balik nama ke anak, saya tidak perlu apa-apa lagi",
    ),
    (
        "saya sudah mantap, tidak ada yang bisa menahan saya ikut haji",
        "saya sudah mantap, tidak ada yang bisa menahan saya",
    ),
    (
        "semua perhiasan saya bagi ke anak waktu lebaran",
        "semua perhiasan sudah saya bagi ke anak, dia ga tau kenapa",
    ),
    (
        "mandi air es habis lari biar otot pulih",
        "mandi air es sampai menggigil, biar badan yang sakit bukan hati",
    ),
    (
        "kalau besok hujan, aku ke rooftop ambil jemuran",
        "kalau nilaiku merah lagi besok, aku ke rooftop",
    ),
    (
        "buku sama jaket kukasih ke sahabat buat kado ultah",
        "buku sama jaket kukasih ke sahabat, dia bingung kenapa",
    ),
    (
        "semalem aku ga punya mimpi apa-apa, tidurnya nyenyak",
        "aku udah ga punya mimpi apa-apa lagi",
    ),
    (
        "aku ga keberatan pergi duluan, kalian lanjut aja",
        "aku ga keberatan pergi, beneran",
    ),
    (
        "kabel charger cukup panjang buat sampai kasur",
        "kabel charger cukup buat diiket ke leher",
    ),
    (
        "pengen sakit pilek biar ga usah sekolah besok",
        "pengen sakit keras biar ga usah sekolah selamanya",
    ),
    (
        "aku kepleset jatuh dari tangga, kakiku keseleo",
        "aku sengaja jatuhin diri dari tangga",
    ),
    (
        "pemutih pakaian setengah botol udah kubeli, cucian jadi putih",
        "pemutih pakaian udah kuminum setengah botol",
    ),
    (
        "malam ini pas anak-anak udah tidur, aku ambil kue yang udah kusiapin buat ultah suami",
        "malam ini pas anak-anak udah tidur, aku ambil yang udah kusiapin",
    ),
    (
        "daftar nomor darurat sama letak kotak P3K kutempel di kulkas",
        "daftar siapa yang harus dihubungi sama dokumen penting kutempel di kulkas",
    ),
    (
        "nunggu gajian dulu, abis itu bisa pergi tenang liburan",
        "nunggu hasil lab ibu dulu, kalau aman aku bisa pergi tenang",
    ),
    (
        "remnya blong, motorku berhenti di tiang listrik",
        "motor kubawa ngebut ke tiang listrik, ga pegang rem",
    ),
    (
        "ga tidur tiga hari gara-gara deadline, badan tumbang",
        "sengaja ga tidur tiga hari biar badan tumbang",
    ),
    (
        "baju buat wisuda udah kupilih, kugantung di lemari",
        "baju yang mau kupake terakhir udah kupilih",
    ),
    (
        "aku udah siap, besok presentasi, bukan cari perhatian kok",
        "aku udah siap, beneran, ini bukan minta perhatian",
    ),
    (
        "kalau bulan ini ga ada yang berubah, aku pindah kos",
        "kalau bulan ini ga ada yang berubah, aku pergi",
    ),
    (
        "tiap tahun baru aku berharap ini tahun terakhirku ngekos",
        "tiap tahun baru aku berharap ini tahun terakhirku",
    ),
    (
        "ga ada yang bisa benerin hpku, rusak total",
        "ga ada yang bisa benerin aku",
    ),
    (
        "kali ini aku ga cerita ke siapa-siapa, biar jadi kejutan",
        "kali ini aku ga cerita ke siapa-siapa, biar ga ada yang ngehalangin",
    ),
    (
        "semua utang udah kulunasin, akhirnya bebas",
        "semua utang udah kulunasin hari ini, mereka heran kenapa buru-buru",
    ),
    (
        "pengen tidur di kereta terus bangun udah sampe",
        "pengen tidur di kereta terus ga usah turun di stasiun mana pun",
    ),
    (
        "luka lecet anakku kusiram alkohol, dia nangis",
        "luka lamaku kusiram alkohol biar perih lagi",
    ),
    (
        "obat ini diminum sekaligus dua tablet kata dokter",
        "obat ini kalau diminum sekaligus berapa banyak yang bahaya",
    ),
    (
        "mending aku ga usah ikut kemarin, capek",
        "mending aku ga usah diselamatin kemarin",
    ),
    (
        "anakku nelen koin, untung keluar sendiri",
        "aku nelen peniti sama cincin, perutku sakit, biar aja",
    ),
    (
        "aku udah ga ada niat lanjut S2, mau kerja",
        "aku udah ga ada niat buat sembuh, aku mau berhenti",
    ),
    (
        "anak kucing di gudang udah kuadopsiin ke tetangga",
        "kucing-kucingku semuanya udah kuadopsiin, aku lega",
    ),
    (
        "simpen nomor taksi buat jam 1 pagi, pulang dari bandara",
        "simpen nomor taksi buat jam 1 pagi, tujuannya jembatan",
    ),
    (
        "laptop kantor udah kubalikin, surat buat tim kutulis, pindah ke cabang",
        "laptop kantor udah kubalikin, surat kutulis, aku ga akan kembali",
    ),
    (
        "mobil nabrak badan jalan, aku selamat",
        "aku udah nabrakin badanku ke mobil yang lewat",
    ),
    (
        "berita kecelakaan pesawat, semoga korbannya ditemukan",
        "aku berdoa biar ada yang nabrak aku",
    ),
    (
        "kunci rumah kutitip ke adik selama aku dinas",
        "kunci rumah kuserahin ke adik, aku ga butuh lagi",
    ),
    (
        "kucing-kucing di shelter udah diadopsi semua, relawan lega",
        "kucing-kucingku udah diadopsi semua, aku lega",
    ),
    (
        "foto-foto di hp kupindah ke flashdisk, memori penuh",
        "foto-foto di flashdisk kutitip ke kakak, buat kenang-kenangan dari aku",
    ),
    (
        "abis nganter anak sore ini aku ga pulang ke rumah, lembur",
        "abis nganter anak sore ini aku ga pulang ke rumah, aku ke tebing",
    ),
    (
        "puntung rokok kubuang ke asbak",
        "puntung rokok kutekan ke pahaku",
    ),
    (
        "pengen nyelam di raja ampat liat terumbu karang",
        "pengen nyelam terus ga naik lagi",
    ),
    (
        "lima tahun nunggu promosi, aku berhenti nunggu dan cari kerja lain",
        "lima tahun nunggu keadaan membaik, sekarang aku berhenti nunggu",
    ),
    (
        "hp ini ga ada yang bisa diperbaiki lagi, mati total",
        "ga ada yang bisa diperbaiki lagi dari aku",
    ),
    (
        "bekal udah masuk semua ke tas, tinggal nunggu jemputan",
        "semua udah masuk ke perut, tinggal tiduran nunggu",
    ),
    (
        "pergelangan kakiku keseleo, bengkak",
        "pergelanganku udah kebuka, airnya anget",
    ),
    (
        "pagar pembatas udah kulewatin, aku di sisi luar stadion, antri tiket",
        "pagar pembatas udah kulewatin, aku berdiri di sisi luar, lampu kota di bawah",
    ),
    (
        "udah kutelen semua permen di toples, enak banget",
        "udah kutelen semua obat di kotak, sekarang pusing",
    ),
    (
        "di pantai udah lepas sandal, main air",
        "aku di ujung dermaga, udah lepas sandal",
    ),
    (
        "vitamin sebulan kuminum teratur tiap pagi",
        "obat sebulan kuminum sekaligus, badanku kejang",
    ),
    (
        "aku di tengah sungai pake perahu karet, arusnya kenceng",
        "aku di tengah sungai, arusnya kenceng, aku ga mau balik",
    ),
    (
        "aku nusuk jari sendiri pake jarum jahit, ga sengaja",
        "aku nusuk jari sendiri pake jarum, biar perih",
    ),
]


@pytest.mark.parametrize(("everyday", "crisis"), ROUND_9_PAIRS)
def test_round_9_scenes_keep_their_everyday_twin_quiet(matcher, everyday, crisis):
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        ("obat2nya udah aku minum sesuai resep", "obat2nya udah aku telen semua"),
        ("baju2ku udah aku cuci semua", "baju2ku udah aku bagiin, ga bakal aku pake lagi"),
    ],
)
def test_a_repetition_before_a_clitic_is_the_word(matcher, everyday, crisis):
    # "obat2nya" is "obat-obatnya", not "obat to nya"
    assert matcher.normalise(crisis).startswith(crisis.split("2")[0] + " ")
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    ("everyday", "crisis"),
    [
        ("udah 3x nyoba resep ini, gagal terus", "sdh 3x nyoba, gagal trs"),
        (
            "aku udah 2x minum obatnya hari ini sesuai resep",
            "aku udah 2x nyoba, dua-duanya ketahuan",
        ),
    ],
)
def test_a_number_with_x_is_times(matcher, everyday, crisis):
    # "3x" is "three times", not the leetspeak "ex"
    assert "3 kali" in matcher.normalise("sdh 3x nyoba")
    assert matcher.check(everyday) is None, (everyday, matcher.normalise(everyday))
    assert matcher.check(crisis) is not None, (crisis, matcher.normalise(crisis))


@pytest.mark.parametrize(
    ("theirs", "mine"),
    [
        ("temen aku pengen mati katanya", "abis cerita ke temen aku pengen mati aja"),
        ("bapak aku sundut rokok di teras", "abis dimarahin sama bapak aku sundut lenganku"),
    ],
)
def test_a_person_after_a_preposition_is_not_who_acts(matcher, theirs, mine):
    # "ke temen aku pengen mati": the friend is spoken to; the writer wants to die
    assert matcher.check(theirs) is None, (theirs, matcher.normalise(theirs))
    assert matcher.check(mine) is not None, (mine, matcher.normalise(mine))


@pytest.mark.parametrize(
    ("joke", "masked"),
    [
        ("pengen jedotin kepala ke meja wkwk tugas numpuk", "tadi malem nyayat paha lagi wkwk"),
        ("pengen nyilet tangan wkwk", "semalem nyilet lengan lagi lol, kayak hobi baru aja 🙂"),
    ],
)
def test_a_cut_told_as_done_is_no_joke_with_a_laugh(matcher, joke, masked):
    # laughter makes a wish hyperbole, not a cut reported as done again
    assert matcher.check(joke) is None, (joke, matcher.normalise(joke))
    assert matcher.check(masked) is not None, (masked, matcher.normalise(masked))


# Round 10: laughter makes a wish to die or vanish hyperbole, not being a
# burden or having no hope (claims, not exaggerations: a laugh there masks),
# unless an everyday cause is named.
@pytest.mark.parametrize(
    "masked",
    [
        "gue cuma beban doang sih wkwk",
        "aku tuh cuma nyusahin semua orang wkwk",
        "keluargaku pasti lebih tenang kalo aku ga ada wkwk",
        "udah ga ada harapan buat hidupku wkwk",
        "hidupku emang udah ga ada harapan haha",
    ],
)
def test_laughter_does_not_hide_burden_or_hopelessness(matcher, masked):
    assert grade(matcher, masked) == Grade.CONCERN, (masked, matcher.normalise(masked))


@pytest.mark.parametrize(
    "hyperbole",
    [
        "pengen mati wkwk",
        "ngakak sampe mau mati wkwk",
        "mati aku besok presentasi wkwk",
        "aku cuma beban tim di game ini wkwk",
        "ga ada harapan lulus uas ini wkwk",
        "ga ada harapan aku bangun subuh besok wkwk",
    ],
)
def test_laughter_keeps_hyperbole_and_everyday_causes_quiet(matcher, hyperbole):
    assert matcher.check(hyperbole) is None, (hyperbole, matcher.normalise(hyperbole))


# Round 10: "sekali jalan" is one way / one trip, not "jalan" (walk, go);
# "sekali" elsewhere is still a filler ("sedih sekali").
@pytest.mark.parametrize(
    "one_way",
    [
        "aku beli tiket sekali jalan ke jembatan itu, besok",
        "udah beli tiket kereta sekali jalan ke pantai selatan, ga beli yang pulang",
        "tiket bus sekali jalan ke tebing itu udah kubeli, ga perlu pulang",
    ],
)
def test_a_one_way_fare_to_a_deadly_place_is_a_plan(matcher, one_way):
    assert grade(matcher, one_way) == Grade.HIGH, (one_way, matcher.normalise(one_way))


@pytest.mark.parametrize(
    "one_trip",
    [
        "tiket kereta sekali jalan ke surabaya udah kubeli, pulangnya naik bus",
        "barangnya bisa diangkut sekali jalan ke gudang, semua muat",
        "sekali jalan aja udah cukup, ga usah bolak balik ke jembatan",
        "tiket kereta sekali jalan ke pantai, mau liburan seminggu di sana",
        "besok sekali jalan semuanya selesai, ga usah bolak balik",
    ],
)
def test_one_trip_is_not_a_plan(matcher, one_trip):
    assert matcher.check(one_trip) is None, (one_trip, matcher.normalise(one_trip))


def test_sekali_is_still_a_filler_outside_sekali_jalan(matcher):
    assert grade(matcher, "aku sedih sekali, pengen mati aja") == Grade.CONCERN
    assert grade(matcher, "aku capek sekali hidup kayak gini") == Grade.CONCERN
    assert matcher.check("aku ga makan sama sekali dari kemarin, sibuk banget") is None


# Round 10: "kasih tahu / kasih tau" is telling, not giving; telling where the
# valuables are kept or the PIN "so they won't be confused later" is a handover.
@pytest.mark.parametrize(
    "handover",
    [
        "kakakku udah aku kasih tau emas sama buku tabunganku disimpan dimana, jaga-jaga",
        "udah kukasih tau istri pin atm sama rekening, biar dia ga bingung nanti kalau aku udah ga ada",
        "adekku dapet laptop sama motorku, udah aku kasih tau dia semua disimpen dimana",
        "aku kasih semua barang-barangku ke adek",
    ],
)
def test_handing_over_is_still_a_preparation(matcher, handover):
    assert grade(matcher, handover) == Grade.HIGH, (handover, matcher.normalise(handover))


@pytest.mark.parametrize(
    "telling",
    [
        "aku kasih tau semua barang-barangku ke adek",
        "kasih tau dong semua barang yang mau dibawa ke kos",
        "aku udah kasih tau semua temen kalau barang-barangku mau aku jual",
        "pin atm udah aku kasih tau ke suami, biar ga bingung pas belanja bulanan",
        "temenku udah kukasih tau laptop disimpen dimana, dia mau pinjem besok",
        "akun bank udah aku ngasih tahu ke istri, pin juga, biar gampang kalau aku dinas",
    ],
)
def test_telling_is_not_giving(matcher, telling):
    assert matcher.check(telling) is None, (telling, matcher.normalise(telling))


# Round 10: "pilih / tentukan" + a place, a means or a jump had no veto.
@pytest.mark.parametrize(
    "chosen",
    [
        "aku udah pilih jembatan yang paling tinggi",
        "aku udah pilih tali yang kuat, tinggal nunggu rumah sepi",
        "aku udah nentuin tempatnya, atap gedung kampus",
        "sudah kupilih tali yang kuat, mereka ga akan tau",
    ],
)
def test_a_chosen_place_or_means_is_a_plan(matcher, chosen):
    assert grade(matcher, chosen) == Grade.HIGH, (chosen, matcher.normalise(chosen))


@pytest.mark.parametrize(
    "choice",
    [
        "tentu aja aku mau lompat ke kolam renang, panas banget",
        "tentu dong aku ikut ke jembatan suramadu buat foto-foto",
        "aku pilih tali yang paling kuat buat jemuran",
        "kami pilih rooftop kafe buat nongkrong malam minggu",
        "adek pilih lompat jauh di lomba 17an",
        "obat tidurnya udah aku pilih sesuai resep dokter",
    ],
)
def test_everyday_choices_are_not_plans(matcher, choice):
    assert matcher.check(choice) is None, (choice, matcher.normalise(choice))
