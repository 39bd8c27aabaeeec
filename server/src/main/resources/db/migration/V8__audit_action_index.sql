-- Finds the latest audit entry of one action in an environment (who set an override row, for the dashboard's
-- reasons) without reading the environment's other entries.
CREATE INDEX audit_log_action ON audit_log (environment, action, id);
