-- Meridian EHR schema, step 9: an index for type-level history (issue #3). Append-only file: never edit once landed.
--
-- GET /fhir/Type/_history (HistoryService -> JpaRecordRepository.typeHistory/countTypeHistory) filters
-- resource_version by resource_type and by the caller's scope (ScopeSql), optionally by recorded_at >= _since, sorts
-- by recorded_at DESC and counts the matches on every page. Every scope names persons: a clinician's care-team and
-- break-the-glass persons (plus the institution's records about no person, person_id IS NULL) and granted persons;
-- a patient's own person. So the selective column after the type is person_id, then recorded_at for _since and the
-- order. Measured with EXPLAIN ANALYZE on 400,000 versions (2 institutions, 4,000 persons, Synthea-like type mix;
-- docs/explain/type-history.sql, figures in docs/architecture.md): without it every page and count read all versions
-- of the type at the institution through the primary key (150-740 ms); with (resource_type, recorded_at) the _since
-- queries got fast but the plain count did not and a patient's page got slower (a backward scan through other
-- persons' rows); with this index every case is a bitmap or index scan over the scope's persons (0.6-20 ms).
--
-- CONCURRENTLY: resource_version is the largest table and takes writes all the time; a plain CREATE INDEX would block
-- every write for the whole build. Flyway runs a migration holding only this statement outside a transaction, and
-- Migrate sets postgresql.transactional.lock=false (a session advisory lock instead of an open transaction, which
-- CREATE INDEX CONCURRENTLY would wait for forever). If the build fails, PostgreSQL leaves an INVALID index behind:
-- DROP INDEX CONCURRENTLY resource_version_type_person_recorded; then rerun the migration (flyway repair first).

CREATE INDEX CONCURRENTLY resource_version_type_person_recorded
    ON resource_version (resource_type, person_id, recorded_at);
