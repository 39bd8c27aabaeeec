-- Metered usage: how much of a limited field (entitlements.maxApiRequestsPerDay) each counting key (an organization
-- id) has used in a UTC calendar period, summed over every SDK that reports it in its log batches, plus one-off grants.
--
-- One row per environment, field, arguments, counting key, period kind (HOUR, DAY, MONTH) and period start. args_key
-- is the field's arguments as compact JSON with the keys sorted ({"endpoint":"search"}, {} for none). meter_id is the
-- SHA-256 (hex) of the JSON array [field, args_key, usage_key, period, period_start], which together are longer than an
-- index allows. used is what the SDKs reported (saturating at the largest BIGINT), extra what was granted on top for
-- that period; version is the environment's meter version of the transaction that last changed the row.
CREATE TABLE meters (
    environment_id  BIGINT NOT NULL REFERENCES environments (id),
    meter_id        CHAR(64) NOT NULL,
    field           VARCHAR(256) NOT NULL,
    args_key        VARCHAR(1024) NOT NULL,
    usage_key       VARCHAR(256) NOT NULL,
    period          VARCHAR(8) NOT NULL,
    period_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    used            BIGINT NOT NULL,
    extra           BIGINT DEFAULT 0 NOT NULL,
    version         BIGINT NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (environment_id, meter_id)
);

-- GET /v1/usage?since=: the rows of an environment changed after a version, in version order.
CREATE INDEX meters_version ON meters (environment_id, version);
-- The admin API: one counting key's rows, and the keys of one field.
CREATE INDEX meters_key ON meters (environment_id, usage_key);
CREATE INDEX meters_field ON meters (environment_id, field);

-- Each environment's meter version, incremented (UPDATE ... SET version = version + 1) by every transaction that
-- changes meter rows; see MeterStore for why this row, not a sequence, numbers the changes.
CREATE TABLE meter_versions (
    environment_id  BIGINT PRIMARY KEY REFERENCES environments (id),
    version         BIGINT NOT NULL
);
