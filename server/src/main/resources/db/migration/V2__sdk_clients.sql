-- Which schemas and SDK versions read each environment, from the Tollgate-Schema-Hash and User-Agent headers.
CREATE TABLE sdk_clients (
    environment_id  BIGINT NOT NULL REFERENCES environments (id),
    schema_hash     VARCHAR(80) NOT NULL,
    user_agent      VARCHAR(200) NOT NULL,
    requests        BIGINT NOT NULL,
    first_seen      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (environment_id, schema_hash, user_agent)
);
