-- Abuse bounded (issue 22, part 3; README, "Email alerts").

-- Confirmation emails queued in each hour (`hour`: unix time / 3600),
-- all addresses together: past `CONFIRMATIONS_PER_HOUR` a request is
-- answered as any other and nothing is sent. The every-minute cron
-- deletes the hours before the last day.
CREATE TABLE confirmation_budget (
  hour INTEGER PRIMARY KEY,
  sent INTEGER NOT NULL
) STRICT;
