-- The process coach (issue 19): the per-group switch, the suggestions it made to
-- the facilitators during a meeting, whom each was about, the private messages
-- that carried it, and the after-meeting summary. Counts and ids only: no text.
CREATE TABLE coach_settings (
    group_id   INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
    enabled    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE coach_suggestions (
    id                 INTEGER PRIMARY KEY,
    meeting_id         INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    kind               TEXT NOT NULL,
    suggestion         TEXT NOT NULL,
    share              REAL,
    value              REAL,
    created_at         TEXT NOT NULL,
    -- posted / later / muted; NULL while nobody answered
    outcome            TEXT,
    decided_by         INTEGER,
    decided_at         TEXT,
    circularity_before REAL,
    focus_before       REAL,
    circularity_after  REAL,
    focus_after        REAL,
    measured_at        TEXT
);
CREATE INDEX coach_suggestions_meeting ON coach_suggestions(meeting_id);

CREATE TABLE coach_subjects (
    suggestion_id INTEGER NOT NULL REFERENCES coach_suggestions(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    absent        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (suggestion_id, user_id)
);

CREATE TABLE coach_messages (
    suggestion_id INTEGER NOT NULL REFERENCES coach_suggestions(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    message_id    INTEGER NOT NULL,
    PRIMARY KEY (suggestion_id, user_id)
);

CREATE TABLE coach_summaries (
    meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
    sent_at    TEXT NOT NULL
);
