-- The language a subscriber reads their mail in (issue 24): the code of
-- one of the six UN languages, chosen on the subscribe form (the page's
-- by default). Confirmation, alert, update and digest mail are in it, and
-- its links lead to the subscriber pages in it. Rows from before this
-- migration read English, which is what they were sent.
ALTER TABLE subscribers ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'
  CHECK (lang IN ('en', 'ar', 'zh', 'fr', 'ru', 'es'));
ALTER TABLE pending ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'
  CHECK (lang IN ('en', 'ar', 'zh', 'fr', 'ru', 'es'));
