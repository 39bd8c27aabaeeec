-- An environment that requires signing has its snapshots served only with an Ed25519 signature: an instance without a
-- signing key answers 503 instead of an unsigned snapshot, and the SDKs that fetch revisions through a cache refuse an
-- unsigned or badly signed one (docs/server.md, "A CDN or a caching proxy in front").
ALTER TABLE environments ADD COLUMN require_signing BOOLEAN DEFAULT FALSE NOT NULL;
