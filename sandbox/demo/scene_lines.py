"""What the demo's people say in the four meetings, by language: (speaker, replies to
line, text). Speaker 0 is the facilitator, 1-4 the first members, 5 the
co-facilitator; "replies to" indexes the meeting's earlier lines."""

from __future__ import annotations

LINES = {
    "en": [
        [  # 1, forming: first impressions, talk through the leader
            (0, None, "Welcome. What did you notice about each other when you came in today?"),
            (1, 0, "Honestly I was nervous. Everyone seemed calmer than me."),
            (2, 1, "I thought the same about you, Anna. You looked calm!"),
            (3, 0, "I'm scared of letting my parents down if my grades drop."),
            (5, 3, "Thank you for saying that, Chloe. Who else knows that feeling?"),
            (1, 3, "Me. I write my worries down before bed and it helps a bit."),
            (2, 5, "Hearing that, I feel less alone."),
            (3, 6, "Same. It's a relief not to be the only one."),
        ],
        [  # 2, transition: unease, a subgroup, tension
            (
                0,
                None,
                "Last week some of you kept talking after the meeting. How is that for the group?",
            ),
            (1, 0, "Ben and I just chatted a bit. It wasn't about anyone."),
            (3, 1, "It made me feel a bit outside, to be honest."),
            (2, 2, "I didn't know that. Sorry, Chloe."),
            (0, 3, "Thank you both. What would help us keep things inside the group?"),
            (4, 4, "Maybe we bring what we talk about outside back here."),
            (3, 5, "I'd like that."),
            (1, 5, "Okay, agreed."),
        ],
        [  # 3, working: the agenda, members address each other
            (0, None, "Let's start with the first agenda item, about parents and grades."),
            (3, 0, "That one is mine. I told my mum how I feel about the exams."),
            (1, 1, "How did she take it, Chloe?"),
            (3, 2, "Better than I feared. She said she'd rather I slept well."),
            (2, 3, "That gives me courage to talk to my dad."),
            (4, 4, "Ben, what would you say to him first?"),
            (2, 5, "That I'm trying, and that I need a bit of space."),
            (5, 6, "You sound clear about it, Ben."),
        ],
        [  # 4, termination: what changed, saying goodbye
            (0, None, "This is our last meeting. What will you take with you?"),
            (1, 0, "That I'm not the only one who gets anxious."),
            (2, 1, "Talking to my dad. It went okay."),
            (3, 2, "I'm glad, Ben. I'll keep writing my worries down."),
            (4, 0, "I'll miss this group."),
            (5, 4, "We will too, Daniel. You all worked hard."),
            (1, 4, "Can we meet for the follow-up later?"),
            (0, 6, "Yes: I'll ask how you are doing in a few weeks."),
        ],
    ],
    "id": [
        [
            (
                0,
                None,
                "Selamat datang. Apa yang kalian perhatikan satu sama lain waktu masuk tadi?",
            ),
            (1, 0, "Jujur aku gugup. Yang lain kelihatan lebih tenang dariku."),
            (2, 1, "Aku juga berpikir begitu tentang kamu, Ana. Kamu kelihatan tenang!"),
            (3, 0, "Aku takut mengecewakan orang tua kalau nilaiku turun."),
            (5, 3, "Terima kasih sudah cerita, Citra. Siapa lagi yang kenal perasaan itu?"),
            (1, 3, "Aku. Aku menulis kekhawatiranku sebelum tidur, lumayan membantu."),
            (2, 5, "Mendengar itu, aku merasa tidak sendirian."),
            (3, 6, "Sama. Lega rasanya bukan cuma aku."),
        ],
        [
            (
                0,
                None,
                "Minggu lalu beberapa dari kalian masih ngobrol setelah pertemuan. Bagaimana itu bagi grup?",
            ),
            (1, 0, "Aku dan Budi cuma ngobrol sebentar. Bukan soal siapa-siapa."),
            (3, 1, "Jujur, aku jadi merasa agak di luar."),
            (2, 2, "Aku tidak tahu itu. Maaf, Citra."),
            (
                0,
                3,
                "Terima kasih kalian berdua. Apa yang membantu kita menjaga semuanya di dalam grup?",
            ),
            (4, 4, "Mungkin yang kita bicarakan di luar kita bawa lagi ke sini."),
            (3, 5, "Aku setuju."),
            (1, 5, "Oke, sepakat."),
        ],
        [
            (0, None, "Kita mulai dari butir agenda pertama, soal orang tua dan nilai."),
            (3, 0, "Itu punyaku. Aku sudah cerita ke ibu soal perasaanku menjelang ujian."),
            (1, 1, "Bagaimana tanggapan ibumu, Citra?"),
            (3, 2, "Lebih baik dari yang kutakutkan. Katanya dia lebih suka aku tidur cukup."),
            (2, 3, "Itu bikin aku berani bicara dengan ayahku."),
            (4, 4, "Budi, apa yang mau kamu katakan pertama kali?"),
            (2, 5, "Bahwa aku sedang berusaha, dan aku butuh sedikit ruang."),
            (5, 6, "Kamu terdengar yakin, Budi."),
        ],
        [
            (0, None, "Ini pertemuan terakhir kita. Apa yang akan kalian bawa pulang?"),
            (1, 0, "Bahwa bukan cuma aku yang cemas."),
            (2, 1, "Bicara dengan ayahku. Ternyata baik-baik saja."),
            (3, 2, "Aku ikut senang, Budi. Aku akan terus menulis kekhawatiranku."),
            (4, 0, "Aku akan kangen grup ini."),
            (5, 4, "Kami juga, Dimas. Kalian semua sudah bekerja keras."),
            (1, 4, "Nanti kita ketemu lagi untuk tindak lanjut?"),
            (0, 6, "Ya: beberapa minggu lagi aku akan menanyakan kabar kalian."),
        ],
    ],
}

#: After the silence prompt in meeting 2, a member breaks the quiet.
QUIET_ANSWER = {
    "en": "Maybe it's quiet because this is harder to talk about.",
    "id": "Mungkin sepi karena ini lebih sulit dibicarakan.",
}

WORDS = {
    "en": {
        "goals": [
            "Get to know each other and what makes us anxious before exams",
            "Talk openly about how we are as a group",
            "Work on the agenda: parents, grades and time",
            "Look back at what changed, and say goodbye",
        ],
        "late": "Sorry I'm late! The bus was slow. Hi everyone.",
        "closing": "We have ten minutes left. What is one thing you take from today?",
        "take_away": "That it's okay to say I'm scared.",
        "note": "I am not the only one who gets anxious before exams",
        "plan": "A 15-minute walk every morning",
        "helped": "Hearing that others feel the same",
        "changed": "I sleep better before tests now",
    },
    "id": {
        "goals": [
            "Saling mengenal dan mengenali apa yang membuat kita cemas menjelang ujian",
            "Bicara terbuka tentang keadaan kita sebagai grup",
            "Membahas agenda: orang tua, nilai dan waktu",
            "Melihat kembali apa yang berubah, dan berpamitan",
        ],
        "late": "Maaf aku telat! Busnya lambat. Halo semua.",
        "closing": "Waktu kita tinggal sepuluh menit. Satu hal apa yang kalian bawa dari hari ini?",
        "take_away": "Bahwa tidak apa-apa bilang aku takut.",
        "note": "Ternyata bukan cuma aku yang cemas menjelang ujian",
        "plan": "Jalan pagi 15 menit setiap hari",
        "helped": "Mendengar bahwa yang lain merasakan hal yang sama",
        "changed": "Sekarang tidurku lebih nyenyak sebelum ujian",
    },
}
