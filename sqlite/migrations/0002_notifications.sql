-- tradescreen SQLite schema, version 2: notifications between the processes sharing the database file
-- (a new list version stored ...), read by polling. Old rows are deleted as new ones are sent.

CREATE TABLE notifications (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	channel TEXT NOT NULL,
	payload TEXT NOT NULL,
	at      TEXT NOT NULL
);
