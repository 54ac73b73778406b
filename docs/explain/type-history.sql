-- EXPLAIN of type-level history (GET /fhir/Type/_history, JpaRecordRepository.typeHistory/countTypeHistory with the
-- SQL ScopeSql builds), used to choose the V9 index. On a PostgreSQL migrated to V8 (before) or V9 (after):
--   1. as a superuser (local stack: psql -h <state>/postgres/sock -p <port> -U postgres -d meridian): the data part;
--   2. as the app role (psql -h 127.0.0.1 -p <port> -U meridian_app -d meridian): the \echo/EXPLAIN part.
-- Data: 400,000 versions, 2 institutions, 4,000 persons (100 consecutive versions each), a Synthea-like type mix,
-- one version a minute from 2025-12-01, ~800 bytes of content each (542 MB with indexes).

-- 1. data (superuser: row-level security does not apply)
INSERT INTO tenant (id, name, country, region) VALUES ('nl-amstel','Amstel','NL','eu-west'),('de-spree','Spree','DE','eu-central');
INSERT INTO person (id) SELECT 'person-' || g FROM generate_series(1, 4000) g;
CREATE TEMP TABLE types(t text, w int);
INSERT INTO types VALUES ('Observation',480),('Claim',60),('ExplanationOfBenefit',60),('Immunization',50),('Encounter',60),
 ('DiagnosticReport',60),('DocumentReference',60),('Condition',30),('Procedure',40),('MedicationRequest',30),('Patient',3),
 ('CarePlan',5),('CareTeam',5),('Provenance',3),('Organization',4),('Location',4),('Practitioner',4),('PractitionerRole',4),
 ('MedicationAdministration',10),('Device',5),('SupplyDelivery',10),('ImagingStudy',5),('Medication',3),('AllergyIntolerance',5);
CREATE TEMP TABLE cum AS SELECT t, sum(w) OVER (ORDER BY t) - w AS lo, sum(w) OVER (ORDER BY t) AS hi FROM types;
CREATE TEMP TABLE slot AS SELECT s, (SELECT t FROM cum WHERE s >= lo AND s < hi) AS t FROM generate_series(0,999) s;
INSERT INTO resource_version (tenant_id, resource_type, resource_id, version, person_id, content, recorded_at)
SELECT CASE WHEN g % 2 = 0 THEN 'nl-amstel' ELSE 'de-spree' END, slot.t, md5(g::text), 1,
       'person-' || (1 + (g / 100) % 4000), jsonb_build_object('pad', repeat('x', 800)),
       timestamptz '2025-12-01' + (g * interval '60 second')
FROM generate_series(1, 400000) g JOIN slot ON slot.s = (g::bigint * 7919 % 1000);
UPDATE resource_version SET person_id = NULL WHERE resource_type IN ('Organization','Location','Practitioner','PractitionerRole','Medication');
VACUUM ANALYZE resource_version;

-- 2. queries (app role, bound like a clinician of nl-amstel with 20 care-team persons)
\set persons '''person-200'',''person-400'',''person-600'',''person-800'',''person-1000'',''person-1200'',''person-1400'',''person-1600'',''person-1800'',''person-2000'',''person-2200'',''person-2400'',''person-2600'',''person-2800'',''person-3000'',''person-3200'',''person-3400'',''person-3600'',''person-3800'',''person-4000'''
BEGIN;
SELECT set_config('app.tenant_id', 'nl-amstel', true), set_config('app.practitioner_id', 'dr-jansen', true);
\echo === A page, Observation, no _since
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) SELECT v.tenant_id, v.resource_id, v.version FROM resource_version v WHERE v.resource_type = 'Observation' AND ((CASE WHEN v.deleted THEN (SELECT p.sensitivity FROM resource_version p WHERE p.tenant_id = v.tenant_id AND p.resource_type = v.resource_type AND p.resource_id = v.resource_id AND p.version = v.version - 1) ELSE v.sensitivity END) IS NOT NULL AND ((v.tenant_id IN ('nl-amstel') AND (v.person_id IN (:persons) OR v.person_id IS NULL)))) ORDER BY v.recorded_at DESC, v.tenant_id DESC, v.resource_id DESC, v.version DESC LIMIT 21 OFFSET 0;
\echo === B page, Observation, _since last 2 days
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) SELECT v.tenant_id, v.resource_id, v.version FROM resource_version v WHERE v.resource_type = 'Observation' AND ((CASE WHEN v.deleted THEN (SELECT p.sensitivity FROM resource_version p WHERE p.tenant_id = v.tenant_id AND p.resource_type = v.resource_type AND p.resource_id = v.resource_id AND p.version = v.version - 1) ELSE v.sensitivity END) IS NOT NULL AND ((v.tenant_id IN ('nl-amstel') AND (v.person_id IN (:persons) OR v.person_id IS NULL)))) AND v.recorded_at >= CAST('2026-09-02T18:40:00Z' AS timestamptz) ORDER BY v.recorded_at DESC, v.tenant_id DESC, v.resource_id DESC, v.version DESC LIMIT 21 OFFSET 0;
\echo === C count, Observation, _since last 2 days
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) SELECT count(*) FROM resource_version v WHERE v.resource_type = 'Observation' AND ((CASE WHEN v.deleted THEN (SELECT p.sensitivity FROM resource_version p WHERE p.tenant_id = v.tenant_id AND p.resource_type = v.resource_type AND p.resource_id = v.resource_id AND p.version = v.version - 1) ELSE v.sensitivity END) IS NOT NULL AND ((v.tenant_id IN ('nl-amstel') AND (v.person_id IN (:persons) OR v.person_id IS NULL)))) AND v.recorded_at >= CAST('2026-09-02T18:40:00Z' AS timestamptz);
\echo === D count, Patient, no _since
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) SELECT count(*) FROM resource_version v WHERE v.resource_type = 'Patient' AND ((CASE WHEN v.deleted THEN (SELECT p.sensitivity FROM resource_version p WHERE p.tenant_id = v.tenant_id AND p.resource_type = v.resource_type AND p.resource_id = v.resource_id AND p.version = v.version - 1) ELSE v.sensitivity END) IS NOT NULL AND ((v.tenant_id IN ('nl-amstel') AND (v.person_id IN (:persons) OR v.person_id IS NULL))));
\echo === E page, Organization, no _since
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) SELECT v.tenant_id, v.resource_id, v.version FROM resource_version v WHERE v.resource_type = 'Organization' AND ((CASE WHEN v.deleted THEN (SELECT p.sensitivity FROM resource_version p WHERE p.tenant_id = v.tenant_id AND p.resource_type = v.resource_type AND p.resource_id = v.resource_id AND p.version = v.version - 1) ELSE v.sensitivity END) IS NOT NULL AND ((v.tenant_id IN ('nl-amstel') AND (v.person_id IN (:persons) OR v.person_id IS NULL)))) ORDER BY v.recorded_at DESC, v.tenant_id DESC, v.resource_id DESC, v.version DESC LIMIT 21 OFFSET 0;
\echo === F patient scope page, Observation, no _since
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) SELECT v.tenant_id, v.resource_id, v.version FROM resource_version v WHERE v.resource_type = 'Observation' AND ((CASE WHEN v.deleted THEN (SELECT p.sensitivity FROM resource_version p WHERE p.tenant_id = v.tenant_id AND p.resource_type = v.resource_type AND p.resource_id = v.resource_id AND p.version = v.version - 1) ELSE v.sensitivity END) IS NOT NULL AND ((v.tenant_id IN ('nl-amstel','de-spree') AND (v.person_id IN ('person-2000'))))) ORDER BY v.recorded_at DESC, v.tenant_id DESC, v.resource_id DESC, v.version DESC LIMIT 21 OFFSET 0;
\echo === G count, Observation, no _since (every page computes total)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) SELECT count(*) FROM resource_version v WHERE v.resource_type = 'Observation' AND ((CASE WHEN v.deleted THEN (SELECT p.sensitivity FROM resource_version p WHERE p.tenant_id = v.tenant_id AND p.resource_type = v.resource_type AND p.resource_id = v.resource_id AND p.version = v.version - 1) ELSE v.sensitivity END) IS NOT NULL AND ((v.tenant_id IN ('nl-amstel') AND (v.person_id IN (:persons) OR v.person_id IS NULL))));
\echo === H page with a grant (shared person at another institution), Observation, no _since
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) SELECT v.tenant_id, v.resource_id, v.version FROM resource_version v WHERE v.resource_type = 'Observation' AND ((CASE WHEN v.deleted THEN (SELECT p.sensitivity FROM resource_version p WHERE p.tenant_id = v.tenant_id AND p.resource_type = v.resource_type AND p.resource_id = v.resource_id AND p.version = v.version - 1) ELSE v.sensitivity END) IS NOT NULL AND ((v.tenant_id IN ('nl-amstel') AND (v.person_id IN (:persons) OR v.person_id IS NULL)) OR (v.person_id = 'person-3000' AND v.tenant_id NOT IN ('nl-amstel')))) ORDER BY v.recorded_at DESC, v.tenant_id DESC, v.resource_id DESC, v.version DESC LIMIT 21 OFFSET 0;
ROLLBACK;
