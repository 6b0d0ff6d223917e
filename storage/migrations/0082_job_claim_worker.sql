-- The column names the worker (a process), not a person: renamed so the data
-- rights code does not take it for a member column.
ALTER TABLE scheduled_jobs RENAME COLUMN claimed_by TO claimed_worker;
