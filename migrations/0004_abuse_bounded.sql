-- Abuse bounded (issue 22, part 3; README, "Email alerts").

-- Confirmation emails queued in each hour (`hour`: unix time / 3600),
-- all addresses together: past `CONFIRMATIONS_PER_HOUR` a request is
-- answered as any other and nothing is sent. The every-minute cron
-- deletes the hours before the last day.
CREATE TABLE confirmation_budget (
  hour INTEGER PRIMARY KEY,
  sent INTEGER NOT NULL
) STRICT;

-- Pruning by the every-minute cron, a bounded batch a run (D1 bills rows
-- read and written): deliveries by their claim's time, mailings by their
-- start (dead mail has `dead_mail_by_age`, 0002). Each is a search of
-- its index, never a scan.
CREATE INDEX deliveries_by_age ON deliveries (at);
CREATE INDEX mailings_by_age ON mailings (started_at);

-- The version of a subscriber's links: raised each time the address
-- confirms again, which revokes every link sent before (src/mail/token.rs).
-- Links made before this column read as version 0.
ALTER TABLE subscribers ADD COLUMN links INTEGER NOT NULL DEFAULT 0;
