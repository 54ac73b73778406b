-- Issue #22: a bulk import job can be cancelled (DELETE on its status URL, Bulk Data pattern). A cancelled job keeps
-- the chunks it committed before the cancel (each whole: a chunk commits with its checkpoint or not at all); the
-- chunk in flight rolls back because its lease renewal finds the job no longer leased. ADR 0023.
ALTER TABLE import_job DROP CONSTRAINT import_job_status_check;
ALTER TABLE import_job ADD CONSTRAINT import_job_status_check
    CHECK (status IN ('queued', 'loading', 'validating', 'complete', 'failed', 'cancelled'));
