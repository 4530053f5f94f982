-- Email alerts for subscribers (README, "Email alerts"). Applied by
-- `make dev` and `make test` locally and by `make deploy` remotely
-- (`wrangler d1 migrations apply DB`). Ids are never a sequence: ids made
-- by this file's first version were 64 random bits in hex; since then they
-- are the time they were made and 64 random bits (src/ids.rs), so that no
-- id can be guessed from another. (A comment only: the schema is as applied.)

-- Confirmed subscribers. `email` is stored normalised (trimmed, lowercase).
-- Deleting a row is the whole erasure: topics and delivery records go with it.
CREATE TABLE subscribers (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  -- 1: every alert; 0: only the topics in subscriber_topics.
  every INTEGER NOT NULL CHECK (every IN (0, 1)),
  frequency TEXT NOT NULL CHECK (frequency IN ('each', 'weekly')),
  confirmed_at INTEGER NOT NULL
) STRICT;
-- The fan-out's query: subscribers of one frequency in id order.
CREATE INDEX subscribers_by_frequency ON subscribers (frequency, id);

-- A subscriber's chosen topics: 'c:<category>' or 't:<tag>'.
CREATE TABLE subscriber_topics (
  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, topic)
) STRICT, WITHOUT ROWID;
-- Topic look-ups: who follows this category or tag.
CREATE INDEX subscriber_topics_by_topic ON subscriber_topics (topic, subscriber_id);

-- Requests waiting for their confirmation link to be used. Expire after
-- 48 hours (the scheduled handler deletes them); `sent_at` throttles the
-- confirmation email to one per address per 10 minutes.
CREATE TABLE pending (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  every INTEGER NOT NULL CHECK (every IN (0, 1)),
  frequency TEXT NOT NULL CHECK (frequency IN ('each', 'weekly')),
  -- JSON array of topics.
  topics TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

-- Each mailing, claimed once: an alert going live ('<slug>'), one of its
-- change notes ('<slug>@<yyyy-mm-dd>#<hash>'; 'queued' with `first`
-- 'covered' or 'reworded' when it had nothing to send) or a week's digest
-- ('digest:<yyyy-Www>'); older rows may hold '<slug>#<hash>', the retired
-- `notify = "again"`. The primary key is what makes a mailing start
-- once. `status` is 'claimed' until its first queue message is on the
-- queue ('queued'); the cron puts back a claim left older than 5 minutes,
-- from `first` (that message).
CREATE TABLE mailings (
  id TEXT PRIMARY KEY,
  slug TEXT,
  started_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('claimed', 'queued')),
  first TEXT NOT NULL
) STRICT;

-- One row per (mailing, subscriber), claimed before the send ('claimed',
-- with the claiming attempt's id) and marked 'sent' after it; a failed send
-- removes its claim. A redelivered or duplicated queue message finds the
-- row and sends nothing; a claim left by an attempt that stopped is taken
-- over after 15 minutes.
CREATE TABLE deliveries (
  mailing TEXT NOT NULL,
  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('claimed', 'sent')),
  attempt TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (mailing, subscriber_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX deliveries_by_subscriber ON deliveries (subscriber_id);

-- Sends that failed every retry, kept for the operator (ids, never addresses).
CREATE TABLE dead_mail (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  failed_at INTEGER NOT NULL
) STRICT;
