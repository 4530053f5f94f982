-- Signed webhooks (issue 25, part 2; README, "Push").

-- One row per endpoint the operator registered (`make webhook-add`):
-- where events go, in which format, for which topics (a JSON array of
-- `c:<Category>` and `t:<tag>`; empty: every alert), and the signing
-- secret (`whsec_...`), which only the Worker reads back. Health: the
-- last delivery that succeeded, the first failure since then (cleared on
-- success), and when the endpoint was disabled for failing days in a row.
-- A handful of rows: read whole, in id order, under a LIMIT.
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('json', 'slack')),
  topics TEXT NOT NULL DEFAULT '[]',
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_success INTEGER,
  failing_since INTEGER,
  disabled_at INTEGER
) STRICT;
