-- Lingkar schema, version 1. Times are UTC ISO 8601 strings ("2026-12-01T12:00:00Z").
-- Telegram ids are INTEGER; a group's Telegram chat id lives in one column only
-- (groups.chat_id) so a migration to a supergroup changes one row.

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
);

-- Telegram users the bot has met. Only what serves them: a name to address them,
-- their language, whether the bot may DM them.
CREATE TABLE users (
    user_id          INTEGER PRIMARY KEY,
    first_name       TEXT NOT NULL DEFAULT '',
    username         TEXT,
    language_code    TEXT,
    started_bot      INTEGER NOT NULL DEFAULT 0,   -- pressed Start / opened a deep link
    blocked_at       TEXT,                         -- set when a DM answered 403
    mute_reminders   INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE groups (
    id                 INTEGER PRIMARY KEY,
    chat_id            INTEGER NOT NULL UNIQUE,
    title              TEXT NOT NULL DEFAULT '',
    topic              TEXT NOT NULL DEFAULT '',       -- the group's name/topic as the facilitator sets it
    goal               TEXT NOT NULL DEFAULT '',
    format             TEXT NOT NULL DEFAULT 'series' CHECK (format IN ('series', 'single')),
    meetings_planned   INTEGER NOT NULL DEFAULT 8 CHECK (meetings_planned BETWEEN 1 AND 20),
    style              TEXT NOT NULL DEFAULT 'developmental'
                       CHECK (style IN ('developmental', 'interactional', 'supportive')),
    language           TEXT NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en')),
    timezone           TEXT NOT NULL DEFAULT 'Asia/Jakarta',
    stage              TEXT NOT NULL DEFAULT 'pre'
                       CHECK (stage IN ('pre', 'forming', 'transition', 'working', 'termination', 'post')),
    setup_done         INTEGER NOT NULL DEFAULT 0,
    bot_status         TEXT NOT NULL DEFAULT 'member',   -- member / administrator / left / kicked
    can_read_messages  INTEGER NOT NULL DEFAULT 0,
    silence_prompts    INTEGER NOT NULL DEFAULT 1,
    join_token         TEXT NOT NULL UNIQUE,             -- opaque deep-link payload for this group
    crisis_resources   TEXT,                             -- JSON list overriding [safety] resources
    message_thread_id  INTEGER,                          -- forum topic the group was set up in
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    removed_at         TEXT,                             -- bot removed; data kept until retention
    ended_at           TEXT                              -- series finished; retention counts from here
);

CREATE TABLE members (
    group_id     INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    role         TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('facilitator', 'cofacilitator', 'member')),
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
    joined_at    TEXT NOT NULL,
    left_at      TEXT,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX members_by_user ON members(user_id);

-- Consents with a time: intake (voluntariness + confidentiality) and the contract.
CREATE TABLE consents (
    id        INTEGER PRIMARY KEY,
    group_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('intake', 'contract')),
    decision  TEXT NOT NULL CHECK (decision IN ('given', 'refused', 'withdrawn')),
    at        TEXT NOT NULL
);
CREATE INDEX consents_by_group ON consents(group_id, kind, user_id);

CREATE TABLE contract_rules (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    created_by  INTEGER,
    created_at  TEXT NOT NULL
);

CREATE TABLE stage_history (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    from_stage  TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    moved_by    INTEGER,
    warnings    TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
);

CREATE TABLE custom_prompts (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    stage       TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_by  INTEGER,
    created_at  TEXT NOT NULL
);

CREATE TABLE prompts_used (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    meeting_id  INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    stage       TEXT NOT NULL,
    prompt_key  TEXT NOT NULL,      -- bank key, or "custom:<id>"
    cause       TEXT NOT NULL DEFAULT 'facilitator',  -- facilitator / silence / stage / meeting
    at          TEXT NOT NULL
);
CREATE INDEX prompts_used_by_group ON prompts_used(group_id, stage);

-- Private intake, resumable: one row per member and group.
CREATE TABLE intakes (
    group_id      INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    step          TEXT NOT NULL DEFAULT 'about',
    goal          TEXT,
    able_to_talk  TEXT,
    good_time     TEXT,
    safety_flag   INTEGER,
    decision      TEXT NOT NULL DEFAULT 'none',  -- none / talk_first / cleared / refused
    decided_by    INTEGER,
    started_at    TEXT NOT NULL,
    completed_at  TEXT,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE who5_scores (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    timepoint   TEXT NOT NULL,             -- intake / end / followup_7 / followup_30 ...
    items       TEXT NOT NULL,             -- five answers 0-5, comma separated
    raw         INTEGER NOT NULL CHECK (raw BETWEEN 0 AND 25),
    at          TEXT NOT NULL,
    UNIQUE (group_id, user_id, timepoint)
);

CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'scheduled'
                  CHECK (status IN ('scheduled', 'open', 'closed', 'cancelled')),
    goal          TEXT NOT NULL DEFAULT '',
    topics        TEXT NOT NULL DEFAULT '',   -- as the facilitator edits them for the report
    opened_at     TEXT,
    closed_at     TEXT,
    summary       TEXT,                       -- the approved closing summary
    created_at    TEXT NOT NULL
);
CREATE INDEX meetings_by_group ON meetings(group_id, starts_at);

CREATE TABLE attendance (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    arrived_at  TEXT NOT NULL,
    late        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE agenda_items (
    id             INTEGER PRIMARY KEY,
    group_id       INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    author_id      INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    text           TEXT NOT NULL,
    anonymous      INTEGER NOT NULL DEFAULT 1,
    status         TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'discussed', 'withdrawn')),
    position       INTEGER NOT NULL DEFAULT 0,
    carried_over   INTEGER NOT NULL DEFAULT 0,
    meeting_id     INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    source_key     TEXT UNIQUE,               -- "<chat>:<message>" of the DM that created it (idempotency)
    posted_at      TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX agenda_by_group ON agenda_items(group_id, status, position);

-- Participation counts per meeting and member: numbers and ids only, never text.
CREATE TABLE participation (
    meeting_id        INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL,
    messages          INTEGER NOT NULL DEFAULT 0,
    words             INTEGER NOT NULL DEFAULT 0,
    replies_given     INTEGER NOT NULL DEFAULT 0,
    replies_received  INTEGER NOT NULL DEFAULT 0,
    first_message_at  TEXT,
    last_message_at   TEXT,
    longest_silence_s INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE reply_edges (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    from_user   INTEGER NOT NULL,
    to_user     INTEGER NOT NULL,
    count       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, from_user, to_user)
);

-- Evaluations: laiseg (immediate), laijapen (short term), end, and long-term follow-ups.
CREATE TABLE evaluations (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    meeting_id   INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    user_id      INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,          -- laiseg / laijapen / end / followup_7 / followup_30 ...
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    created_at   TEXT NOT NULL,
    answered_at  TEXT,
    UNIQUE (group_id, meeting_id, user_id, kind)
);

CREATE TABLE evaluation_answers (
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    question       TEXT NOT NULL,
    value_int      INTEGER,
    value_text     TEXT,
    at             TEXT NOT NULL,
    PRIMARY KEY (evaluation_id, question)
);

-- Durable jobs: SQLite is the truth, the JobQueue only holds timers.
CREATE TABLE scheduled_jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    group_id    INTEGER REFERENCES groups(id) ON DELETE CASCADE,
    user_id     INTEGER,
    meeting_id  INTEGER REFERENCES meetings(id) ON DELETE CASCADE,
    due_at      TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'running', 'done', 'cancelled', 'skipped', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX scheduled_jobs_due ON scheduled_jobs(status, due_at);
CREATE INDEX scheduled_jobs_group ON scheduled_jobs(group_id, status);

-- Safety events: when, who, where from, what kind. Never the text.
CREATE TABLE safety_events (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER REFERENCES groups(id) ON DELETE SET NULL,
    user_ref   TEXT NOT NULL,              -- "u:<user id>", or "p:<pseudonym>" after /forgetme
    source     TEXT NOT NULL,              -- group / dm / agenda / intake / evaluation / button
    category   TEXT NOT NULL,
    urgent     INTEGER NOT NULL DEFAULT 0,
    at         TEXT NOT NULL
);
CREATE INDEX safety_events_by_user ON safety_events(user_ref, at);

-- A pending DM text answer (which question a member's next message answers), so
-- multi-step DM flows resume after a restart.
CREATE TABLE dm_states (
    user_id     INTEGER PRIMARY KEY REFERENCES users(user_id) ON DELETE CASCADE,
    flow        TEXT NOT NULL,
    group_id    INTEGER REFERENCES groups(id) ON DELETE CASCADE,
    data        TEXT NOT NULL DEFAULT '{}',
    updated_at  TEXT NOT NULL
);

-- Idempotency for updates Telegram may deliver twice after a crash.
CREATE TABLE processed_updates (
    update_id   INTEGER PRIMARY KEY,
    at          TEXT NOT NULL
);
