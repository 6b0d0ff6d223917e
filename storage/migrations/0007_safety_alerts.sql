-- Crisis watch: which safety events alerted facilitators, so repeats can be limited
-- to one alert per member every [safety] alert_repeat_minutes (urgent ones always alert).
ALTER TABLE safety_events ADD COLUMN alerted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX safety_events_alerted ON safety_events(user_ref, alerted, at);
