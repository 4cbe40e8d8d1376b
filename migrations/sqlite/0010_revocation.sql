-- 0010: revocation that reaches open streams; feed tokens; token expiry.
-- Append-only: never edit a released migration; add the next number.

-- A token is for the API (Authorization: Bearer) or for calendar feeds
-- only (?token= on an .ics URL); neither works in the other's place.
ALTER TABLE api_token ADD COLUMN kind TEXT NOT NULL DEFAULT 'api'
  CHECK (kind IN ('api', 'feed'));

-- Tokens now expire (90 days by default): those that never did get the
-- default from today.
UPDATE api_token
   SET expires_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000
                    + 90 * 86400000
 WHERE expires_ms IS NULL AND revoked_ms IS NULL;

-- One counter, bumped in the same transaction by every write that can
-- take a sign-in's rights away. The server reads it after each commit
-- and makes open event streams check their principal again when it
-- moved; nothing polls the sessions.
CREATE TABLE auth_epoch (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  gen INTEGER NOT NULL
) STRICT;
INSERT INTO auth_epoch (id, gen) VALUES (1, 0);

CREATE TRIGGER session_revoked_epoch AFTER UPDATE OF revoked_ms ON session
  WHEN OLD.revoked_ms IS NULL AND NEW.revoked_ms IS NOT NULL
  BEGIN UPDATE auth_epoch SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER token_revoked_epoch AFTER UPDATE OF revoked_ms ON api_token
  WHEN OLD.revoked_ms IS NULL AND NEW.revoked_ms IS NOT NULL
  BEGIN UPDATE auth_epoch SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER users_rights_epoch AFTER UPDATE ON users
  WHEN OLD.disabled IS NOT NEW.disabled OR OLD.is_admin IS NOT NEW.is_admin
    OR OLD.password_hash IS NOT NEW.password_hash
  BEGIN UPDATE auth_epoch SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER member_added_epoch AFTER INSERT ON group_member
  BEGIN UPDATE auth_epoch SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER member_changed_epoch AFTER UPDATE ON group_member
  BEGIN UPDATE auth_epoch SET gen = gen + 1 WHERE id = 1; END;
CREATE TRIGGER member_removed_epoch AFTER DELETE ON group_member
  BEGIN UPDATE auth_epoch SET gen = gen + 1 WHERE id = 1; END;
