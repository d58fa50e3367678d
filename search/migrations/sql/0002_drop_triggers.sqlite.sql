-- Frozen SQL of a migration: never edit it; change the database with a new migration.

DROP TRIGGER IF EXISTS search_networks_network_ins;

DROP TRIGGER IF EXISTS search_networks_network_upd;

DROP TRIGGER IF EXISTS search_networks_network_del;

DROP TRIGGER IF EXISTS search_cities_city_ins;

DROP TRIGGER IF EXISTS search_cities_city_upd;

DROP TRIGGER IF EXISTS search_cities_city_del;

DROP TRIGGER IF EXISTS search_cities_country_ins;

DROP TRIGGER IF EXISTS search_cities_country_upd;

DROP TRIGGER IF EXISTS search_cities_country_del;

DROP TRIGGER IF EXISTS search_networks_thematicunit_ins;

DROP TRIGGER IF EXISTS search_networks_thematicunit_upd;

DROP TRIGGER IF EXISTS search_networks_thematicunit_del;

DROP TRIGGER IF EXISTS search_networks_summit_ins;

DROP TRIGGER IF EXISTS search_networks_summit_upd;

DROP TRIGGER IF EXISTS search_networks_summit_del;

DROP TRIGGER IF EXISTS search_projects_organization_ins;

DROP TRIGGER IF EXISTS search_projects_organization_upd;

DROP TRIGGER IF EXISTS search_projects_organization_del;

DROP TRIGGER IF EXISTS search_projects_programme_ins;

DROP TRIGGER IF EXISTS search_projects_programme_upd;

DROP TRIGGER IF EXISTS search_projects_programme_del;

DROP TRIGGER IF EXISTS search_projects_project_ins;

DROP TRIGGER IF EXISTS search_projects_project_upd;

DROP TRIGGER IF EXISTS search_projects_project_del;

DROP TRIGGER IF EXISTS search_sources_source_ins;

DROP TRIGGER IF EXISTS search_sources_source_upd;

DROP TRIGGER IF EXISTS search_sources_source_del;
