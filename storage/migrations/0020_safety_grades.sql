-- Crisis watch 2: every safety event has a grade (imminent / high / concern),
-- next to its category; never the words.
ALTER TABLE safety_events ADD COLUMN grade TEXT NOT NULL DEFAULT 'concern';

-- An urgent alert repeats (a durable job) until a facilitator acknowledges it.
CREATE TABLE safety_alerts (
    id               INTEGER PRIMARY KEY,
    event_id         INTEGER REFERENCES safety_events(id) ON DELETE SET NULL,
    group_id         INTEGER REFERENCES groups(id) ON DELETE CASCADE,
    user_ref         TEXT NOT NULL,        -- as in safety_events
    created_at       TEXT NOT NULL,
    sent_count       INTEGER NOT NULL DEFAULT 0,
    acknowledged_by  INTEGER,              -- the facilitator's user id
    acknowledged_at  TEXT
);
CREATE INDEX safety_alerts_open ON safety_alerts(group_id, acknowledged_at);
