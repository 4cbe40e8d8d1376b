-- 0021: command HQ's assessment at the acknowledgement (研判), beside the
-- proposed level it puts to the leadership (提出定级建议, the existing
-- proposed_level column, which the acknowledgement may change).

ALTER TABLE incident ADD COLUMN assessment TEXT NOT NULL DEFAULT '';
