-- tradescreen SQLite schema, version 3: alert transitions say whether screening made them by itself (an alert
-- raised, a false positive reopened because the entry or the party changed, a look-alike closed by the allow
-- list). The four-eyes rules count only the moves people make. Existing rows are marked from what only
-- screening writes: the first transition, a reopening whose reason starts "reopened: " and an allow-list
-- close.
ALTER TABLE alert_transitions ADD COLUMN automatic INTEGER NOT NULL DEFAULT 0;
UPDATE alert_transitions SET automatic = 1
 WHERE from_status = ''
    OR (from_status = 'closed_false_positive' AND to_status = 'open' AND reason LIKE 'reopened: %')
    OR (from_status = 'open' AND to_status = 'closed_false_positive' AND reason LIKE 'allowed: reviewed look-alike%');

-- The trail of one object (GET /v1/audit?object=alert/17, an alert's history) is read by its index, not by
-- reading the whole trail.
CREATE INDEX audit_events_object ON audit_events (object, seq);
