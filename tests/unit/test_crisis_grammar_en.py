"""English grammar of the crisis watch, round 5: compositions found missing by
fresh blind batches (overdose slang, at the place looking down, hanging means
that "hold my weight", relapse with a blade, "no light at the end of the
tunnel"), each with its look-alikes; property tests over generated sentences."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.crisis import Grade
from handlers.safety import crisis_matcher


@pytest.fixture(scope="module")
def matcher():
    return crisis_matcher()


def _grade(matcher, text):
    concern = matcher.check(text)
    return None if concern is None else concern.grade


@pytest.mark.parametrize(
    ("text", "least"),
    [
        ("necked a whole strip of sleeping tablets and i feel woozy", Grade.IMMINENT),
        ("standing on the overpass looking down at the cars", Grade.IMMINENT),
        ("gonna do it saturday when the house is empty, already decided", Grade.HIGH),
        ("what's the quickest way to go without feeling anything", Grade.HIGH),
        ("will a belt hold my weight from the door", Grade.HIGH),
        ("not my first time trying, i nearly died last year", Grade.HIGH),
        ("i pray i don't open my eyes tomorrow", Grade.CONCERN),
        ("if a truck hit me i'd honestly be grateful", Grade.CONCERN),
        ("i miss my lola, i want to follow her to heaven", Grade.CONCERN),
        ("relapsed, the blade again after 2 months", Grade.CONCERN),
        ("there's no light at the end of the tunnel for me", Grade.CONCERN),
        ("i only cause problems for everyone", Grade.CONCERN),
        ("kys myself is all i think about", Grade.CONCERN),
        ("on the 9th floor of the car park now, it's so quiet up here", Grade.IMMINENT),
        ("tied it to the railing, i just have to step off", Grade.IMMINENT),
        ("so much blood, i'm scared", Grade.IMMINENT),
        ("after work tonight i'm driving to the bridge and not coming back", Grade.HIGH),
        ("picked the spot by the lake, i'll go when everyone's asleep", Grade.HIGH),
        ("this is the last week you'll have to put up with me", Grade.HIGH),
        ("getting a gun so it's over quick", Grade.HIGH),
        ("made a video for my sister to watch after", Grade.HIGH),
        ("my mum found me in time, they pumped my stomach", Grade.HIGH),
        ("i'm a lost cause", Grade.CONCERN),
        ("i'm a burden on my family", Grade.CONCERN),
        ("i want to end myself", Grade.CONCERN),
        ("sitting in my car with a hose on the exhaust pipe", Grade.IMMINENT),
        ("mixed bleach and ammonia and sealed the bathroom", Grade.IMMINENT),
        ("lying on the railway tracks waiting", Grade.IMMINENT),
        ("once my parents leave on friday that's my chance", Grade.HIGH),
        ("which pills would shut my liver down", Grade.HIGH),
        ("will an extension cord take my weight", Grade.HIGH),
        ("buying paracetamol at different pharmacies so nobody notices", Grade.HIGH),
        ("put my necklace in an envelope for my sister", Grade.HIGH),
        ("i sh to cope", Grade.CONCERN),
        ("wake up disappointed i'm still alive", Grade.CONCERN),
        ("maybe better i go to another world", Grade.CONCERN),
        ("i did it, emptied the bottle into my mouth", Grade.IMMINENT),
        ("took every tablet in the box in one go", Grade.IMMINENT),
        ("got the date and the method sorted", Grade.HIGH),
        ("decided when and how", Grade.HIGH),
        ("my tablets are counted out and waiting", Grade.HIGH),
        ("the letters for my kids are in the drawer, they'll find them after", Grade.HIGH),
        ("how many sleeping pills would i need to take to never wake up", Grade.HIGH),
        ("everyone's life would be easier if i wasn't in it", Grade.CONCERN),
        ("tkn 2 many pills, cant feel my legs", Grade.IMMINENT),
        ("did something stupid with my pills", Grade.IMMINENT),
        ("hanging off the bridge railing now", Grade.IMMINENT),
        ("half the bottle of pills gone and nothing yet", Grade.IMMINENT),
        ("don't look for me, no one can stop me", Grade.HIGH),
        ("room's tidy and things are in order so it's easier for them", Grade.HIGH),
        ("tried hanging in 2019 but the cord snapped", Grade.HIGH),
        ("tonight i go to the bridge, nobody will find me", Grade.HIGH),
        ("they'd celebrate if i was gone", Grade.CONCERN),
        ("my parents deserve better than a daughter like me", Grade.CONCERN),
        ("i slice my arm to feel something", Grade.CONCERN),
        ("every day is pain and i can't see it ending", Grade.CONCERN),
        ("i'm up on the roof and i don't want to come down", Grade.IMMINENT),
        ("did something really bad, blood everywhere", Grade.IMMINENT),
        ("worked out the train times, the express doesn't stop at my station", Grade.HIGH),
        ("found a new home for my dog, rehomed him today", Grade.HIGH),
        ("cleared my phone so there's nothing to find", Grade.HIGH),
        ("i'm going through with it, no more being a coward", Grade.HIGH),
        ("what's the tallest car park near me", Grade.HIGH),
        ("the bridge on my way home keeps calling me", Grade.CONCERN),
        ("i think about stepping forward on the platform", Grade.CONCERN),
        ("i'm ready to be with my mum again", Grade.CONCERN),
        ("i take up space", Grade.CONCERN),
        ("i'm done trying to fix my life", Grade.CONCERN),
        ("i'm gonna neck myself", Grade.CONCERN),
        ("honestly might top myself", Grade.CONCERN),
        ("i will do suicide, i have decided", Grade.HIGH),
        ("i have consumed 30 tablets", Grade.IMMINENT),
        ("chugged a bottle of cough syrup, heart is pounding", Grade.IMMINENT),
        ("i'll swim out until i can't", Grade.HIGH),
        ("how cold does the sea have to be to go quickly", Grade.HIGH),
        ("can't wait to be six feet under", Grade.CONCERN),
        ("i have no will to live", Grade.CONCERN),
        ("i am giving tension to my family, better i go", Grade.CONCERN),
        ("the date is circled on my calendar and nobody knows", Grade.HIGH),
        ("booked a hotel, one night, only one", Grade.HIGH),
        ("waiting for the house to be empty and then i'm going", Grade.HIGH),
        ("once the exams are over i'm done", Grade.HIGH),
        ("not a threat, i just won't be around much longer", Grade.HIGH),
        ("which vein bleeds the most", Grade.HIGH),
        ("told my friend to look after my cat, it's long term", Grade.HIGH),
        ("i'm by the lake with stones in my pockets", Grade.IMMINENT),
        ("injected all my insulin and i'm shaky", Grade.IMMINENT),
        ("counting the days until i don't have to exist", Grade.CONCERN),
        ("i love you all, just wanted to say it before i go", Grade.HIGH),
        ("please tell my dad i'm sorry", Grade.HIGH),
        ("this is my last goodbye", Grade.HIGH),
        ("i don't care anymore, i'm ending it", Grade.HIGH),
        ("i give up. on everything", Grade.CONCERN),
        ("by the time you read this i'll be gone", Grade.IMMINENT),
        ("the gun is in my mouth", Grade.IMMINENT),
        ("i walked into the lake up to my neck", Grade.IMMINENT),
        ("turned the gas on and closed the windows", Grade.IMMINENT),
        ("i'm in my car on the level crossing", Grade.IMMINENT),
        ("i jumped and i'm still alive", Grade.IMMINENT),
        ("been bleeding in the bath a long time", Grade.IMMINENT),
        ("drank the weed killer", Grade.IMMINENT),
        ("razor on my wrist right now", Grade.IMMINENT),
        ("took a handful of bars", Grade.IMMINENT),
        ("i'm writing because i won't be able to tomorrow", Grade.HIGH),
        ("drank kerosene, my throat is burning", Grade.IMMINENT),
        ("top of the tower block, the cars look very small from here", Grade.IMMINENT),
        ("after hari raya i will jump", Grade.HIGH),
        ("how much sniper would kill me", Grade.HIGH),
        ("reckon i'll off myself", Grade.HIGH),
        ("my life is finished", Grade.CONCERN),
        ("carving into my forearm", Grade.CONCERN),
        ("i took something before this session and feel strange", Grade.IMMINENT),
        ("i've made other plans, permanent ones", Grade.HIGH),
        ("i don't think i'll be around for the next session", Grade.HIGH),
        ("thank you, you were the only good thing. goodbye", Grade.HIGH),
        ("i keep looking at the pills and thinking about doing it", Grade.HIGH),
        ("if i got a terminal diagnosis i'd be relieved", Grade.CONCERN),
        ("i'm jealous of people who died", Grade.CONCERN),
        ("the future is a black wall", Grade.CONCERN),
        ("nobody knows about the marks on my arms", Grade.CONCERN),
        ("done. took them", Grade.IMMINENT),
        ("pills. all of them. now", Grade.IMMINENT),
        ("it's time. sorry dad", Grade.HIGH),
        ("goodbye world", Grade.HIGH),
        ("bye forever", Grade.HIGH),
        ("last message", Grade.HIGH),
        ("its happening tonight", Grade.HIGH),
        ("final decision. i'm out", Grade.HIGH),
        ("i quit life", Grade.CONCERN),
        ("rip me", Grade.CONCERN),
        ("ur all better off", Grade.CONCERN),
        ("door is locked and i've already started, don't come in", Grade.IMMINENT),
        ("overdid my pills on purpose", Grade.IMMINENT),
        ("vodka and a handful of sleeping pills, i don't want to wake up", Grade.IMMINENT),
        ("picked friday because my parents will be away", Grade.HIGH),
        ("i've thought it through, i'm going to do it", Grade.HIGH),
        ("set my phone to send my best friend a message tomorrow", Grade.HIGH),
        ("my kids would have a better life with a different dad", Grade.CONCERN),
        ("cutting keeps me sane", Grade.CONCERN),
        ("lying in the snow, can't feel my fingers, don't want to get up", Grade.IMMINENT),
        ("once i finish my exams i'll do it, it's all planned", Grade.HIGH),
        ("recorded videos for my daughter for her birthdays", Grade.HIGH),
        ("returning what i borrowed and paying back everyone i owe", Grade.HIGH),
        ("i'm scared of myself tonight", Grade.CONCERN),
        ("all i do is make everyone's life harder", Grade.CONCERN),
        ("i pulled my stitches out on purpose", Grade.CONCERN),
        ("can you die from mixing pills and vodka", Grade.HIGH),
        ("which is more certain, pills or jumping", Grade.HIGH),
        ("i have a plan and i have the means", Grade.HIGH),
        ("it'll be on friday, i've got everything sorted", Grade.HIGH),
        ("you won't hear from me again", Grade.HIGH),
        ("how much paracetamol is too much to survive", Grade.HIGH),
        ("might game end myself", Grade.CONCERN),
        ("i'd rather not be here", Grade.CONCERN),
        ("s/h urges are bad today", Grade.CONCERN),
        ("hit my arms until they bruise", Grade.CONCERN),
        ("i starve myself as punishment", Grade.CONCERN),
        ("wanna d!e", Grade.CONCERN),
        ("how long do i sit in the car with the engine running", Grade.HIGH),
        ("i still have marks from the rope last year", Grade.HIGH),
        ("how many pills to overdose", Grade.HIGH),
        ("my affairs are in order now", Grade.HIGH),
        ("the date is set, it's in my diary", Grade.HIGH),
        ("bought the pills i need", Grade.HIGH),
        ("slashed my arms, blood all over the floor", Grade.IMMINENT),
        ("after my family sleep i will go to the bridge", Grade.HIGH),
        ("last year i try to finish my life", Grade.HIGH),
        ("i cut my hand when i feel sad", Grade.CONCERN),
        ("i want god take my soul", Grade.CONCERN),
        ("why do i have to keep living", Grade.CONCERN),
        ("i'm done hoping things will get better", Grade.CONCERN),
        ("took a load of pills", Grade.IMMINENT),
        ("where is the highest bridge in the city", Grade.HIGH),
        ("said goodbye to my friends without telling them why", Grade.HIGH),
        ("tomorrow is the day, i've got it all figured out", Grade.HIGH),
        ("i've set the date, 3 days left", Grade.HIGH),
        ("this is my second try, hopefully the last one", Grade.HIGH),
        ("i tried once in march, it didn't work", Grade.HIGH),
        ("gonna do it after school at the bridge on friday", Grade.HIGH),
        ("i cut myself tonight and it's really deep", Grade.IMMINENT),
        ("too late now, i've already taken them", Grade.IMMINENT),
        ("the scarf is tied to the bedpost and round my neck now", Grade.IMMINENT),
        ("a one way ticket to the sea and a bag of stones", Grade.HIGH),
        ("i won't pick up ever again", Grade.HIGH),
        ("left a box for each of my siblings", Grade.HIGH),
        ("is there a bridge near me with no railings", Grade.HIGH),
        ("my family has suffered enough because of me", Grade.CONCERN),
        ("a razor on my hips where no one can see", Grade.CONCERN),
        ("i press my nails into my palms until they bleed", Grade.CONCERN),
    ],
)
def test_round_5_compositions(matcher, text, least):
    found = _grade(matcher, text)
    assert found is not None and found >= least, (text, matcher.normalise(text), found)


@pytest.mark.parametrize(
    "text",
    [
        "bought new rope for bouldering this weekend",
        "is this rope strong enough to hold my weight for abseiling",
        "standing on the rooftop bar looking down at the city lights, so pretty",
        "i'd be grateful if you hit me up tomorrow",
        "relapsed on sugar again, two months clean gone lol",
        "no light at the end of the tunnel with this deadline",
        "i hope i don't wake up late for my exam",
        "writing a letter to my grandma for her birthday",
        "ate too much at the buffet, i'm dying",
        "wrote my will with my husband after the baby came",
        "i'm dead serious about learning japanese",
        "we need rope to tie the kayak on the roof rack",
        "my brother jumped off the high dive",
        "don't mix bleach and ammonia when cleaning the bathroom",
        "when my parents leave for the weekend that's my chance to throw a party",
        "i'd better go home before it's too late",
        "i took all my pills for today, as usual",
        "swallowed all the vitamins my mum gave me",
        "i drank all the milk sorry everyone",
        "i'll do it tomorrow morning before everyone wakes up, the surprise breakfast",
        "pamit ya teman-teman, sinyal jelek, nanti aku baca rekamannya",
        "no cap im ending my diet this weekend",
        "i wanna go to sleep n never wake up before noon on sundays",
        "i leave my things at my sister's house while i travel",
        "my mom took all the pills out of the old cabinet to throw them away safely",
        "how many sleeping tabs can i take on a long flight",
        "aku lega banget kalau aku pergi liburan",
        "my mind's made up, i'm quitting at the end of the month",
        "i've been saying sorry to everyone i stood up last week, bad month",
        "gedung paling tinggi di jakarta apa ya",
        "the bridge on my way to work is closed again",
        "i'm ready to be with my family again for christmas",
        "i'm going to top up my phone credit",
        "neck and neck race in the last lap",
        "i'm proud of myself this week",
        "i cut my hand on a broken glass",
        "i'm a hopeless romantic",
        "unalive is such a weird word",
        "six feet under is my fave tv show",
        "i have written letter to my parents from hostel",
        "nobody will notice i'm gone from the party if i leave at ten",
        "the painkillers are kicking in finally, back feels better",
        "burned myself with the iron again, so clumsy",
        "waiting for the house to be empty on thursday so i can practise singing",
        "giving my guitar away, never play it anymore",
        "as soon as this meeting is over i'm done for the day",
        "i'm not going to kill myself over a bad grade lol",
        "if you're thinking about suicide please call 119, you matter",
        "i don't want to live in this city anymore, too expensive",
        "i can't do this anymore, my laptop keeps crashing",
        "i'm really going to do it this time, sign up for the marathon!",
        "tonight's the night, the finale!",
        "the overdose scene in that show was hard to watch",
        "i love you all! goodbye for now, see you at the next meetup",
        "tell my mom i'm sorry i'll be late for dinner",
        "it's done! thesis submitted, going to sleep now, goodnight everyone",
        "the gun's loaded with blanks for the play, relax",
        "walked into the sea up to my knees, it's so cold",
        "they pumped my stomach after i swallowed a coin when i was 5 lol",
        "stuck at the level crossing, barrier's coming down",
        "lupa minum obat semalam, jadi agak pusing",
        "i jumped in the pool and my legs are jelly",
        "the sniper in the game killed me again lol",
        "i'm proud of myself this week",
        "i'm finished with my thesis finally",
        "cut my finger with paper, blood everywhere haha",
        "wrote a letter to my mother for mother's day",
        "by friday i'm gone, holiday in bali!!",
        "i used to think about dying a lot, but not anymore, i'm in a better place",
        "i won't be at next week's session, i'm at a conference",
        "i took a nap before this session, feeling better",
        "thank you to this group, you've helped me so much, see you next week!",
        "my future feels uncertain after the layoff",
        "i quit smoking",
        "final decision: pizza",
        "last message before i board",
        "its happening! the wedding is tonight",
        "i'm ready for the weekend, everything's packed",
        "see you on the other side of the exam",
        "goodbye summer",
        "crashed my car into a pillar in the car park, insurance nightmare",
        "the bathroom door is locked, the lock is broken again",
        "knitting is the only thing keeping me sane during exams",
        "i picked saturday for the bbq because everyone is free",
        "returning things i borrowed from the library",
        "lying in the snow making snow angels with my kids",
        "pulled my stitches out at the clinic today, healed nicely",
        "im scared of the thunder tonight, so loud",
        "what's the least painful way to remove a plaster",
        "wrote a note for my parents saying i'd be home late",
        "arranged for my dog to stay with my neighbour for the weekend",
        "it'll be next tuesday, the delivery is sorted",
        "can you take sleeping pills with antibiotics?",
        "deleting my old account for real this time",
        "i'd rather not be here at this boring party tbh",
        "my cat hits my legs with her tail when she wants food",
        "how long should i let the car engine run in winter before driving",
        "i still have the marks from my braces lol",
        "i'm on the roof of the hospital car park, the lift is broken",
        "i've decided, i'm going to hang the painting in the hallway",
        "what's the fastest way to learn spanish",
        "how many pills of vitamin c is too many",
        "my affairs are in order before the move abroad",
        "i jumped off a bridge into the river for a charity swim",
        "i'm on the bridge waiting for the bus",
        "i'm going to do it tomorrow night, the big presentation",
        "why do i have to keep doing the dishes",
        "whats the most painless way to get a tattoo",
        "on the roof of my dorm rn for the meteor shower, so pretty",
        "i tried sushi for the first time last year",
        "this is my third try at this level, hopefully the last one",
        "tied the scarf round my neck, it's freezing out",
        "got a one way ticket to the coast for my new job",
        "cleared out my room for the new baby, such a project",
        "burned my arm on the hot water tap, silly me",
        "my thighs are full of bruises from football",
        "driving to the beach tonight and not coming back till monday",
        "this is the last week you'll have to put up with me as your roommate, moving out sunday",
    ],
)
def test_round_5_look_alikes_stay_quiet(matcher, text):
    assert matcher.check(text) is None, (text, matcher.normalise(text), matcher.check(text))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["necked", "downed", "swallowed", "took", "popped", "ate"]),
    st.sampled_from(["a whole strip of", "all my", "the whole bottle of", "a full packet of"]),
    st.sampled_from(["sleeping tablets", "sertraline", "paracetamol", "meds", "pills"]),
    st.sampled_from(["feeling woozy", "so dizzy now", "getting groggy", "feel lightheaded"]),
)
def test_english_overdose_slang_with_symptoms_is_imminent(matcher, take, quantity, pills, symptom):
    text = f"just {take} {quantity} {pills}, {symptom}"
    assert _grade(matcher, text) == Grade.IMMINENT, (text, matcher.normalise(text))


def test_english_messages_get_the_english_threshold_of_the_model():
    """The model file carries English's own threshold (calibrated on English
    sentences alone); a message read as English uses it, others the joint one."""
    from core.crisis_content import crisis_model

    model = crisis_model()
    assert model.language_of("i just want everything to stop for good") == "en"
    assert model.language_of("aku capek banget sama semuanya") == "id"
    assert model.language_of("") is None
    english = model.threshold_for("i just want everything to stop for good")
    assert english == model.thresholds["en"]
    indonesian = model.threshold_for("aku capek banget sama semuanya")
    assert indonesian == model.thresholds.get("id", model.threshold)


# Round 6: compositions that fresh blind batches (54-57: texting, British and
# Australian wording, plain sentences, algospeak) showed missing, each written
# here in words of its own (not the batch sentences), with look-alikes.


@pytest.mark.parametrize(
    ("text", "least"),
    [
        ("tried to kms just now, the tablets are in me", Grade.IMMINENT),
        ("suicide attempt in progress", Grade.IMMINENT),
        ("sitting on the wrong side of the railing at the lookout", Grade.IMMINENT),
        ("standing in the sea, it's up to my chin, no turning back", Grade.IMMINENT),
        ("hose is in the window and the engine's running", Grade.IMMINENT),
        ("took them all, don't call an ambulance", Grade.IMMINENT),
        ("i overdid it on purpose", Grade.IMMINENT),
        ("the pills are down", Grade.IMMINENT),
        ("doing it right now, the blade is out", Grade.IMMINENT),
        ("waiting on the platform to jump in front of the express", Grade.IMMINENT),
        ("standing on the 20th floor right now", Grade.IMMINENT),
        ("had the whole box of tablets, feeling rough", Grade.IMMINENT),
        ("when dad goes out to work on monday i'm doing it", Grade.HIGH),
        ("chose the branch and the day", Grade.HIGH),
        ("my plan is to drive off the quarry edge on sunday", Grade.HIGH),
        ("when the rent's due next week that's me done, made my mind up", Grade.HIGH),
        ("gonna catch the bus on friday, everything's ready", Grade.HIGH),
        ("i intend to kill myself", Grade.HIGH),
        ("i'm gonna do it, just wanted to say goodbye", Grade.HIGH),
        ("i won't be here by morning", Grade.HIGH),
        ("how much of a drop breaks your neck with a rope", Grade.HIGH),
        ("what floor would i need to jump from to not make it", Grade.HIGH),
        ("how many do i need to not wake up", Grade.HIGH),
        ("left my passcode in a note for my sister to sort everything after", Grade.HIGH),
        ("gave my bike and my console to my cousin, won't be needing them", Grade.HIGH),
        ("i've got an exit bag", Grade.HIGH),
        ("cleared my debts so no one is stuck with them when i go", Grade.HIGH),
        ("stockpiling, nearly enough to not wake up", Grade.HIGH),
        ("they revived me after my overdose", Grade.HIGH),
        ("since my od last year i've been in therapy", Grade.HIGH),
        ("was on suicide watch in 2021", Grade.HIGH),
        ("been sectioned after trying to overdose", Grade.HIGH),
        ("my 3rd go at killing myself failed", Grade.HIGH),
    ],
)
def test_round_6_compositions(matcher, text, least):
    found = _grade(matcher, text)
    assert found is not None and found >= least, (text, matcher.normalise(text), found)


@pytest.mark.parametrize(
    "text",
    [
        "the cuts on my knees from the fall are deep",
        "i'm on the bridge and about to cross into town",
        "i'm at the lookout, wrong side of town for the bus",
        "in the sea up to my waist, the water's lovely",
        "the hose is in the garden and the engine's running, let's wash the car",
        "overdone it at the buffet",
        "after my sister leaves for work tomorrow i'm doing the ironing",
        "i picked the tree for the treehouse and the time to build it",
        "gonna catch the bus friday night, everything's ready, see you at the gig",
        "i intend to die my hair blue",
        "how far is the drop on the new rollercoaster",
        "what floor is the meeting on, i might not make it",
        "my passwords are in a note so my brother can fix the wifi",
        "gave my old bike to my cousin, i don't ride anymore",
        "paid off my debts, so happy",
        "stocking up on snacks, nearly enough for the weekend",
        "my mum brought me back a keyring from spain",
        "my last attempt at baking bread was a disaster",
        "took a long nap after work, feel great",
        "i wrote everyone a thank you card after the wedding",
        "which building is the tallest in the world",
        "standing on the balcony right now watching the fireworks",
        "gave away my baby clothes since my kids outgrew them",
    ],
)
def test_round_6_look_alikes_stay_quiet(matcher, text):
    assert matcher.check(text) is None, (text, matcher.normalise(text), matcher.check(text))


_SETTINGS = settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(
    st.sampled_from(["i", "i've", "i just", "i already", "ive just", "just", "i have"]),
    st.sampled_from(["took", "swallowed", "downed", "necked", "popped", "chugged", "ate", "taken"]),
    st.sampled_from(
        ["all my", "the whole bottle of", "every one of my", "40", "the rest of my", "a handful of"]
    ),
    st.sampled_from(
        ["sleeping pills", "paracetamol", "meds", "antidepressants", "co-codamol", "xanax"]
    ),
    st.sampled_from(
        ["", " a minute ago", " just now", " 20 mins ago", " and i feel dizzy", ", it's done"]
    ),
)
def test_first_person_taking_an_amount_of_a_means_just_now_is_imminent(
    matcher, subject, take, amount, means, frame
):
    """Whoever writes it and however it is said: I + a taking verb + an amount
    + a means, in a past or just-now frame, is an attempt."""
    text = f"{subject} {take} {amount} {means}{frame}"
    assert _grade(matcher, text) == Grade.IMMINENT, (text, matcher.normalise(text))


@_SETTINGS
@given(
    st.sampled_from(["i'm", "im", "i am", "standing", "i'm sitting"]),
    st.sampled_from(
        ["on the edge of", "on the ledge of", "at the top of", "on the railing of", "on"]
    ),
    st.sampled_from(
        [
            "the bridge",
            "the roof",
            "the cliff",
            "the overpass",
            "the car park roof",
            "the 12th floor",
        ]
    ),
    st.sampled_from(
        [
            "right now",
            "rn",
            "as i type this",
            "looking down",
            ", it's so quiet up here",
            ", about to jump",
        ]
    ),
)
def test_being_at_a_high_place_now_is_imminent(matcher, subject, at, place, now):
    text = f"{subject} {at} {place} {now}".replace(" ,", ",")
    assert _grade(matcher, text) == Grade.IMMINENT, (text, matcher.normalise(text))


@_SETTINGS
@given(
    st.sampled_from(["i'm going to", "im gonna", "i will", "i've decided to", "i plan to"]),
    st.sampled_from(
        [
            "hang myself",
            "jump off the bridge",
            "overdose",
            "take all my pills",
            "end my life",
            "drown myself",
        ]
    ),
    st.sampled_from(
        [
            "tonight",
            "this weekend",
            "on friday",
            "after my exams",
            "on my birthday",
            "when everyone's asleep",
        ]
    ),
)
def test_a_method_with_a_time_is_a_plan_or_graver(matcher, intend, method, time):
    text = f"{intend} {method} {time}"
    assert _grade(matcher, text) >= Grade.HIGH, (text, matcher.normalise(text))


@_SETTINGS
@given(
    st.sampled_from(["i've given away", "i gave away", "giving away", "i gave"]),
    st.sampled_from(["my things", "all my stuff", "my clothes", "my guitar", "my jewellery"]),
    st.sampled_from(["", " to my sister", " to friends"]),
    st.sampled_from(
        [
            "since i won't need them anymore",
            "before i go",
            "as i won't be around",
            "for when i'm gone",
        ]
    ),
)
def test_giving_possessions_away_for_after_is_preparation(matcher, give, things, to, frame):
    text = f"{give} {things}{to} {frame}"
    assert _grade(matcher, text) >= Grade.HIGH, (text, matcher.normalise(text))


@_SETTINGS
@given(
    st.sampled_from(["i", "i've", "i once", "back in 2019 i"]),
    st.sampled_from(["tried to", "attempted to"]),
    st.sampled_from(
        [
            "kill myself",
            "hang myself",
            "overdose",
            "end my life",
            "jump off a bridge",
            "slit my wrists",
        ]
    ),
    st.sampled_from(
        ["", " last year", " when i was 15", " and ended up in hospital", " but it didn't work"]
    ),
)
def test_a_past_try_at_a_method_is_at_least_high(matcher, who, tried, method, when):
    text = f"{who} {tried} {method}{when}"
    assert _grade(matcher, text) >= Grade.HIGH, (text, matcher.normalise(text))


@_SETTINGS
@given(
    st.sampled_from(["how many", "how much"]),
    st.sampled_from(["paracetamol", "sleeping pills", "insulin", "tylenol", "of my meds"]),
    st.sampled_from(
        ["would kill me", "does it take to die", "is a lethal dose", "to not wake up", "to end it"]
    ),
)
def test_asking_how_much_of_a_means_kills_is_a_method(matcher, how, means, outcome):
    text = f"{how} {means} {outcome}"
    assert _grade(matcher, text) >= Grade.HIGH, (text, matcher.normalise(text))
