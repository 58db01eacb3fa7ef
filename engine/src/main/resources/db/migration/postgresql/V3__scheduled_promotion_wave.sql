-- A scheduled promotion names the wave it promotes past, so it never skips the gates of a later wave.
ALTER TABLE scheduled_promotions ADD COLUMN wave VARCHAR(253);
