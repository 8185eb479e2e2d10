-- Room on each page of `deliveries` for the claim's update. A claim only
-- sets `lease_until`, which no index holds, so with free space on the page
-- PostgreSQL updates the row in place (a HOT update): no new entries in
-- the table's four indexes, and none left behind for the next claim's
-- scan of `deliveries_due` to step over. Full pages (the default fillfactor
-- of 100, rows only ever inserted) made every lease a full new row version;
-- measured, the claim's update of 128 rows took 3.4 ms instead of 1.3 ms.
-- Pages written before this keep their fill; new ones leave 30 % free.
ALTER TABLE deliveries SET (fillfactor = 70);
