-- 0009: the audit chain is keyed and append-only.
--
-- Rows are chained with HMAC-SHA256 under a key kept in a file outside the
-- database (app/keys.h). audit_key records which key (its fingerprint, not
-- the key) and the boundary: rows up to plain_until were written before
-- the database had a key and keep the old unkeyed SHA-256 rule. The row is
-- written when a keyed erms first opens the database; the anchor file
-- repeats both, so neither can be changed here unnoticed.

CREATE TABLE audit_key (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint TEXT    NOT NULL,
  plain_until INTEGER NOT NULL,
  created_ms  INTEGER NOT NULL
) STRICT;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows cannot be removed'); END;
CREATE TRIGGER audit_key_no_update BEFORE UPDATE ON audit_key
BEGIN SELECT RAISE(ABORT, 'the audit key binding cannot be changed'); END;
CREATE TRIGGER audit_key_no_delete BEFORE DELETE ON audit_key
BEGIN SELECT RAISE(ABORT, 'the audit key binding cannot be removed'); END;

-- Acknowledgement links are built when a message is sent, from a token the
-- key file derives; the outbox keeps only the token's hash. Links of
-- messages already sent are in their recipients' hands: drop the copies.
UPDATE notification SET ack_link = '' WHERE state <> 'pending';
