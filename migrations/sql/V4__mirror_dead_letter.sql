-- Issue #4 (search mirror): events the mirror refused for good (e.g. a document the mapping rejects). They leave
-- the outbox so they cannot block the events behind them, and stay here, visible to verify-index, until repaired.
-- V2 and V3 are reserved for access control and audit (issue #5).

CREATE TABLE outbox_dead_letter (
    seq             bigint      PRIMARY KEY,
    tenant_id       text        NOT NULL REFERENCES tenant (id),
    resource_type   text        NOT NULL,
    resource_id     text        NOT NULL,
    version         integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    failed_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    reason          text        NOT NULL
);

ALTER TABLE outbox_dead_letter ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox_dead_letter FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox_dead_letter
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'outbox-worker')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'outbox-worker');

GRANT SELECT, INSERT, DELETE ON outbox_dead_letter TO ${app_role};
