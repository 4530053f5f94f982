-- Bounces and complaints (README, "Email alerts": "Bounces and complaints").
-- No address is kept here: an address is known by its keyed hash, the first
-- 16 bytes of HMAC-SHA256(SUPPRESSION_SECRET, "suppress\n<address>") in hex
-- (src/app/suppress.rs), so the list can't be read back into addresses.

-- Addresses never mailed again: a hard bounce, a complaint, or three soft
-- bounces within 30 days. Subscribing with one answers as for anyone else
-- and sends nothing.
CREATE TABLE suppressed (
  hash TEXT PRIMARY KEY,
  reason TEXT NOT NULL CHECK (reason IN ('hard-bounce', 'complaint', 'soft-bounces')),
  at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Soft bounces of the last 30 days, one row each (pruned as they age).
CREATE TABLE soft_bounces (
  hash TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (hash, at)
) STRICT, WITHOUT ROWID;
CREATE INDEX soft_bounces_by_age ON soft_bounces (at);

-- What was sent and what came back, counted by day (days since the Unix
-- epoch, UTC), stream ('bulk': alerts, updates, digests through SES;
-- 'transactional': confirmations through Email Service) and kind: the
-- rates `/healthz` and `make subscribers` report. Counts only.
CREATE TABLE mail_counts (
  day INTEGER NOT NULL,
  stream TEXT NOT NULL CHECK (stream IN ('bulk', 'transactional')),
  kind TEXT NOT NULL CHECK (kind IN ('sent', 'hard-bounce', 'soft-bounce', 'complaint')),
  n INTEGER NOT NULL,
  PRIMARY KEY (day, stream, kind)
) STRICT, WITHOUT ROWID;

-- SNS messages taken at /hooks/ses, by MessageId, for as long as SNS's own
-- timestamp would let one be replayed (an hour): a replay answers 403.
CREATE TABLE hook_messages (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX hook_messages_by_age ON hook_messages (at);
