-- Tokens may expire (for CI jobs and temporary access); NULL never expires.
ALTER TABLE tokens ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
