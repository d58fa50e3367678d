-- Frozen SQL of a migration: never edit it; change the database with a new migration.

DROP INDEX IF EXISTS searchentry_names_exact;

DROP INDEX IF EXISTS searchentry_names_trgm;

DROP INDEX IF EXISTS searchentry_document_gin;

DROP TRIGGER IF EXISTS search_entry_document ON search_searchentry;

DROP FUNCTION IF EXISTS search_entry_document();

DROP FUNCTION IF EXISTS paradiplo_tsquery(text);

DROP FUNCTION IF EXISTS paradiplo_plain(text);

DROP TEXT SEARCH CONFIGURATION IF EXISTS paradiplo_en;

DROP TEXT SEARCH CONFIGURATION IF EXISTS paradiplo_es;

DROP TEXT SEARCH CONFIGURATION IF EXISTS paradiplo_pt;

DROP TEXT SEARCH CONFIGURATION IF EXISTS paradiplo_fr;
