-- Evaluations: when the question DM actually went out, so a crash between
-- creating the row and sending it re-sends on restart instead of losing it.
ALTER TABLE evaluations ADD COLUMN sent_at TEXT;

-- Stable pseudonyms for CSV exports ("P07"): numbered per group in order of
-- first export, never derived from the Telegram id, kept when others leave.
CREATE TABLE evaluation_pseudonyms (
    group_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id),
    UNIQUE (group_id, number)
);

