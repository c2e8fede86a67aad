-- tradescreen SQLite schema, version 1: parties, alerts and their transitions, the audit trail with its
-- head and anchor, settings, users and the monitor's entry hashes. Times are UTC text in a fixed-width
-- RFC 3339 form (2006-01-02T15:04:05.000000Z) so that they sort as text.

CREATE TABLE parties (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	kind          TEXT NOT NULL DEFAULT '',
	country       TEXT NOT NULL DEFAULT '',
	birth_date    TEXT NOT NULL DEFAULT '',
	extra         TEXT NOT NULL DEFAULT '{}',
	version       INTEGER NOT NULL DEFAULT 1,
	hash          TEXT NOT NULL,
	screened_hash TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	deleted_at    TEXT
);

CREATE TABLE alerts (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	party_id     TEXT NOT NULL REFERENCES parties (id),
	source       TEXT NOT NULL,
	source_id    TEXT NOT NULL,
	entry_name   TEXT NOT NULL,
	matched_name TEXT NOT NULL,
	party_name   TEXT NOT NULL,
	score        REAL NOT NULL,
	status       TEXT NOT NULL,
	entry_hash   TEXT NOT NULL,
	party_hash   TEXT NOT NULL,
	entry_data   TEXT NOT NULL,
	party_data   TEXT NOT NULL,
	escalated_by TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	UNIQUE (party_id, source, source_id)
);
CREATE INDEX alerts_status ON alerts (status);

CREATE TABLE alert_transitions (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	alert_id    INTEGER NOT NULL REFERENCES alerts (id),
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	actor       TEXT NOT NULL,
	reason      TEXT NOT NULL,
	at          TEXT NOT NULL
);
CREATE INDEX alert_transitions_alert ON alert_transitions (alert_id);

CREATE TABLE audit_events (
	seq       INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	object    TEXT NOT NULL,
	details   TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at);

-- The head (last record) and anchor (last pruned record) of the chain, kept apart from the records.
CREATE TABLE audit_head (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	seq         INTEGER NOT NULL,
	hash        TEXT NOT NULL,
	anchor_seq  INTEGER NOT NULL,
	anchor_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, anchor_seq, anchor_hash) VALUES (1, 0, '', 0, '');

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE users (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	name        TEXT NOT NULL UNIQUE,
	role        TEXT NOT NULL,
	key_hash    TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	disabled_at TEXT
);

CREATE TABLE monitor_entries (
	key  TEXT PRIMARY KEY,
	hash TEXT NOT NULL
);
