-- OpenID Connect sign-in. Stored here, not in memory, so that every instance behind a load balancer knows every
-- sign-in: the callback may reach another instance than the login, and a session works on any instance.
--
-- A login transaction lives from GET /v1/auth/login to its callback (at most ten minutes) and is deleted when the
-- callback takes it, so a state is used at most once. browser_hash is the SHA-256 of the random value in the
-- short-lived login cookie: the callback must come from the browser that started the login.
CREATE TABLE login_transactions (
    state          VARCHAR(64) PRIMARY KEY,
    browser_hash   CHAR(64) NOT NULL,
    nonce          VARCHAR(64) NOT NULL,
    code_verifier  VARCHAR(128) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX login_transactions_expires ON login_transactions (expires_at);

-- A signed-in person. Only the SHA-256 of the session id (the cookie's value) is stored, as for tokens. A session ends
-- at expires_at (the absolute limit from sign-in) or when it has not been used for the idle limit since last_seen_at,
-- whichever is first; signing out deletes the row.
CREATE TABLE sessions (
    session_hash  CHAR(64) PRIMARY KEY,
    subject       VARCHAR(255) NOT NULL,
    name          VARCHAR(200) NOT NULL,
    email         VARCHAR(320),
    role          VARCHAR(10) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX sessions_expires ON sessions (expires_at);
