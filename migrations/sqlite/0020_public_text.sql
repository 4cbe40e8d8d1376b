-- 0020: what the public reads of an incident on the status page: a
-- title and a standing message written for the public (command HQ or
-- the communications team), never the internal title. '' until set;
-- the page then names the incident by its number only.

ALTER TABLE incident ADD COLUMN public_title TEXT NOT NULL DEFAULT '';
ALTER TABLE incident ADD COLUMN public_message TEXT NOT NULL DEFAULT '';
