-- The time windows whose end the server has recorded in the audit log (override rows, rules, segments): one row per
-- environment, item and until, so that a lapse is recorded exactly once, also by several instances and across
-- restarts. lapse_id is the SHA-256 of environment, kind, field, attribute, key and until (row keys and field paths
-- may be longer than an index allows); an instance records a lapse only when its INSERT ... ON CONFLICT DO NOTHING
-- inserted the row, in the same transaction as the audit entry.
CREATE TABLE lapses (
    lapse_id     CHAR(64) PRIMARY KEY,
    environment  VARCHAR(64) NOT NULL,
    kind         VARCHAR(16) NOT NULL,
    target       VARCHAR(1000) NOT NULL,
    until_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
