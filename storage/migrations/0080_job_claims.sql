-- Which worker claimed a running job: with several workers on one PostgreSQL
-- database, only the jobs of a worker that is gone are run again.
ALTER TABLE scheduled_jobs ADD COLUMN claimed_by INTEGER;
