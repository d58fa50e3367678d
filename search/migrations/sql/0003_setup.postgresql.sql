-- Frozen SQL of a migration: never edit it; change the database with a new migration.

CREATE OR REPLACE FUNCTION paradiplo_plain(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT btrim(regexp_replace(lower(unaccent('unaccent'::regdictionary, $1)), '\s+', ' ', 'g')) $$;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'paradiplo_en' AND cfgnamespace = current_schema()::regnamespace) THEN CREATE TEXT SEARCH CONFIGURATION paradiplo_en (COPY = english); END IF; END $$;

ALTER TEXT SEARCH CONFIGURATION paradiplo_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'paradiplo_es' AND cfgnamespace = current_schema()::regnamespace) THEN CREATE TEXT SEARCH CONFIGURATION paradiplo_es (COPY = spanish); END IF; END $$;

ALTER TEXT SEARCH CONFIGURATION paradiplo_es ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'paradiplo_pt' AND cfgnamespace = current_schema()::regnamespace) THEN CREATE TEXT SEARCH CONFIGURATION paradiplo_pt (COPY = portuguese); END IF; END $$;

ALTER TEXT SEARCH CONFIGURATION paradiplo_pt ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'paradiplo_fr' AND cfgnamespace = current_schema()::regnamespace) THEN CREATE TEXT SEARCH CONFIGURATION paradiplo_fr (COPY = french); END IF; END $$;

ALTER TEXT SEARCH CONFIGURATION paradiplo_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

CREATE OR REPLACE FUNCTION paradiplo_tsquery(text) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT COALESCE(string_agg(DISTINCT '(' || q::text || ')', ' | '), '')::tsquery FROM unnest(ARRAY[websearch_to_tsquery('paradiplo_en'::regconfig, $1), websearch_to_tsquery('paradiplo_es'::regconfig, $1), websearch_to_tsquery('paradiplo_pt'::regconfig, $1), websearch_to_tsquery('paradiplo_fr'::regconfig, $1)]) AS q WHERE numnode(q) > 0 $$;

CREATE OR REPLACE FUNCTION search_entry_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.document := setweight(to_tsvector('paradiplo_en', COALESCE(NEW.names, '')), 'A')
    || setweight(to_tsvector('paradiplo_es', COALESCE(NEW.names, '')), 'A')
    || setweight(to_tsvector('paradiplo_pt', COALESCE(NEW.names, '')), 'A')
    || setweight(to_tsvector('paradiplo_fr', COALESCE(NEW.names, '')), 'A')
    || setweight(to_tsvector('paradiplo_en', COALESCE(NEW.body, '')), 'B')
    || setweight(to_tsvector('paradiplo_es', COALESCE(NEW.body, '')), 'B')
    || setweight(to_tsvector('paradiplo_pt', COALESCE(NEW.body, '')), 'B')
    || setweight(to_tsvector('paradiplo_fr', COALESCE(NEW.body, '')), 'B');
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS search_entry_document ON search_searchentry;

CREATE TRIGGER search_entry_document BEFORE INSERT OR UPDATE OF names, body ON search_searchentry FOR EACH ROW EXECUTE FUNCTION search_entry_document();

CREATE INDEX IF NOT EXISTS searchentry_document_gin ON search_searchentry USING gin (document) WITH (fastupdate = off);

CREATE INDEX IF NOT EXISTS searchentry_names_trgm ON search_searchentry USING gin (names_plain gin_trgm_ops) WITH (fastupdate = off);

CREATE INDEX IF NOT EXISTS searchentry_names_exact ON search_searchentry USING gin ((string_to_array(btrim(names_plain, '| '), ' | '))) WITH (fastupdate = off);
