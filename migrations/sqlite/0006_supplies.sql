-- 0006: emergency supplies (应急物资) and funds (应急资金).

CREATE TABLE supply (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL,
  kind           TEXT    NOT NULL DEFAULT '',
  location       TEXT    NOT NULL DEFAULT '',   -- the warehouse (储备库)
  quantity       INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  unit           TEXT    NOT NULL DEFAULT '',
  min_quantity   INTEGER NOT NULL DEFAULT 0 CHECK (min_quantity >= 0),
  inspect_by_ms  INTEGER NOT NULL DEFAULT 0,
  notes          TEXT    NOT NULL DEFAULT '',
  low_notice_ms  INTEGER NOT NULL DEFAULT 0,    -- logistics told: low stock
  inspect_notice_ms INTEGER NOT NULL DEFAULT 0, -- logistics told: inspection
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL
) STRICT;

CREATE TABLE supply_movement (
  id          INTEGER PRIMARY KEY,
  supply_id   INTEGER NOT NULL REFERENCES supply(id),
  kind        TEXT    NOT NULL CHECK (kind IN ('in', 'out', 'allocate', 'return')),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  incident_id INTEGER REFERENCES incident(id),
  note        TEXT    NOT NULL DEFAULT '',
  actor_id    INTEGER NOT NULL,
  at_ms       INTEGER NOT NULL
) STRICT;
CREATE INDEX supply_movement_supply ON supply_movement(supply_id, id);
CREATE INDEX supply_movement_incident ON supply_movement(incident_id);

CREATE TABLE budget (
  year         INTEGER PRIMARY KEY,
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  note         TEXT    NOT NULL DEFAULT '',
  updated_ms   INTEGER NOT NULL
) STRICT;

CREATE TABLE expense (
  id           INTEGER PRIMARY KEY,
  year         INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  purpose      TEXT    NOT NULL,
  incident_id  INTEGER REFERENCES incident(id),
  drill_id     INTEGER NOT NULL DEFAULT 0,
  supply_id    INTEGER REFERENCES supply(id),
  actor_id     INTEGER NOT NULL,
  at_ms        INTEGER NOT NULL
) STRICT;
CREATE INDEX expense_year ON expense(year, id);
