-- Indexes for the statements that the every-minute cron and the operator
-- run (src/app/db/): each is an index search, never a scan of the table
-- (D1 bills rows read, and the cron runs 1,440 times a day). A test reads
-- every statement's query plan.

-- The expiry of confirmation requests: `DELETE FROM pending WHERE expires_at < ?`.
CREATE INDEX pending_by_expiry ON pending (expires_at);
-- Mailings claimed but never queued: `status = 'claimed' AND started_at < ?`.
CREATE INDEX mailings_by_status ON mailings (status, started_at);
-- The operator's listing of dead mail, oldest first.
CREATE INDEX dead_mail_by_age ON dead_mail (failed_at, id);
