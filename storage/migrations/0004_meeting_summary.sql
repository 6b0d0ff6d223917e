-- Meetings: the closing summary is drafted for the facilitators first and
-- posted only when one of them approves it (meetings.summary holds the
-- approved text). The draft, and when the reminder about it went out.
ALTER TABLE meetings ADD COLUMN summary_draft TEXT;
ALTER TABLE meetings ADD COLUMN summary_posted_at TEXT;
