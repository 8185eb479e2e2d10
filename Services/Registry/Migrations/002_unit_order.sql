-- The order units joined the mechanism. The 26 seeded units share the
-- notice's date, so `admittedAt` alone cannot keep the notice's order (it fell
-- back to the id, i.e. the alphabet); the seeder inserts them in the notice's
-- order, and units admitted later come after. Lists and the duty matrix read
-- in this order, so "who is responsible for X" names units as the notice does.
ALTER TABLE units ADD COLUMN ordinal bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX units_ordinal ON units (ordinal);
