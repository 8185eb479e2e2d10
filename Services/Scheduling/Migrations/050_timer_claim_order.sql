-- The timer workers claim the oldest due timers `ORDER BY fire_at, <key>
-- LIMIT n FOR UPDATE SKIP LOCKED`. Indexed on fire_at alone, every claim
-- read, joined and sorted all the timers due at that instant before taking
-- its n (thousands share one instant: every task due on a day is reminded
-- at the same 08:00), so a claim cost grew with the backlog. Indexed in
-- the claim's own order, a claim walks the index and stops after n rows
-- (in the timer benchmark's month of 300,000 timers, each claim of 1,000
-- had sorted up to 5,000 rows; now it reads about as many as it takes).
CREATE INDEX task_timers_claim ON task_timers (fire_at, id) WHERE fired_at IS NULL;
DROP INDEX task_timers_due;
CREATE INDEX letter_timers_claim ON letter_timers (fire_at, letter_id, unit_id, kind) WHERE fired_at IS NULL;
DROP INDEX letter_timers_due;

-- A task's row is rewritten at every step of its life (accepted, reports,
-- reminders, overdue) while none of its indexed columns change: free room
-- in each page lets PostgreSQL update it in place (a HOT update) instead of
-- adding an entry to each of its four indexes. Applies to pages written
-- from now on.
ALTER TABLE tasks SET (fillfactor = 80);
