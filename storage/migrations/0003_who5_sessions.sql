-- A WHO-5 questionnaire in progress (answers so far), so a member can pause,
-- the bot can restart, and buttons carry only a short session id.
CREATE TABLE who5_sessions (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    timepoint   TEXT NOT NULL,
    then_hook   TEXT,                       -- on_who5_done name to call when finished
    answers     TEXT NOT NULL DEFAULT '',   -- answers so far, 0-5, comma separated
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (group_id, user_id, timepoint)
);
