-- 0005: bulletins (信息发布): what is said about an incident, to staff
-- (internal) or to the public (the status page and its feeds).

CREATE TABLE bulletin (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incident(id),
  audience    TEXT    NOT NULL CHECK (audience IN ('internal', 'public')),
  text        TEXT    NOT NULL,
  author_id   INTEGER NOT NULL REFERENCES users(id),
  created_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX bulletin_incident ON bulletin(incident_id, id);
CREATE INDEX bulletin_public ON bulletin(audience, created_ms);
