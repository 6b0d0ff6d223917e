-- Meetings: the closing summary is drafted for the facilitators first and
-- posted only when one of them approves it (meetings.summary then holds the
-- approved text). The draft, and when the approved summary was posted.
ALTER TABLE meetings ADD COLUMN summary_draft TEXT;
ALTER TABLE meetings ADD COLUMN summary_posted_at TEXT;

-- Moving or cancelling one meeting cancels its jobs: find them without
-- walking every pending job (there may be 100,000).
CREATE INDEX scheduled_jobs_meeting ON scheduled_jobs(meeting_id, status);
