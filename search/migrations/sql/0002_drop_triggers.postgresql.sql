-- Frozen SQL of a migration: never edit it; change the database with a new migration.

DROP TRIGGER IF EXISTS search_networks_network_ins ON networks_network;

DROP TRIGGER IF EXISTS search_networks_network_upd ON networks_network;

DROP TRIGGER IF EXISTS search_networks_network_del ON networks_network;

DROP FUNCTION IF EXISTS search_networks_network_upsert();

DROP FUNCTION IF EXISTS search_networks_network_delete();

DROP TRIGGER IF EXISTS search_cities_city_ins ON cities_city;

DROP TRIGGER IF EXISTS search_cities_city_upd ON cities_city;

DROP TRIGGER IF EXISTS search_cities_city_del ON cities_city;

DROP FUNCTION IF EXISTS search_cities_city_upsert();

DROP FUNCTION IF EXISTS search_cities_city_delete();

DROP TRIGGER IF EXISTS search_cities_country_ins ON cities_country;

DROP TRIGGER IF EXISTS search_cities_country_upd ON cities_country;

DROP TRIGGER IF EXISTS search_cities_country_del ON cities_country;

DROP FUNCTION IF EXISTS search_cities_country_upsert();

DROP FUNCTION IF EXISTS search_cities_country_delete();

DROP TRIGGER IF EXISTS search_networks_thematicunit_ins ON networks_thematicunit;

DROP TRIGGER IF EXISTS search_networks_thematicunit_upd ON networks_thematicunit;

DROP TRIGGER IF EXISTS search_networks_thematicunit_del ON networks_thematicunit;

DROP FUNCTION IF EXISTS search_networks_thematicunit_upsert();

DROP FUNCTION IF EXISTS search_networks_thematicunit_delete();

DROP TRIGGER IF EXISTS search_networks_summit_ins ON networks_summit;

DROP TRIGGER IF EXISTS search_networks_summit_upd ON networks_summit;

DROP TRIGGER IF EXISTS search_networks_summit_del ON networks_summit;

DROP FUNCTION IF EXISTS search_networks_summit_upsert();

DROP FUNCTION IF EXISTS search_networks_summit_delete();

DROP TRIGGER IF EXISTS search_projects_organization_ins ON projects_organization;

DROP TRIGGER IF EXISTS search_projects_organization_upd ON projects_organization;

DROP TRIGGER IF EXISTS search_projects_organization_del ON projects_organization;

DROP FUNCTION IF EXISTS search_projects_organization_upsert();

DROP FUNCTION IF EXISTS search_projects_organization_delete();

DROP TRIGGER IF EXISTS search_projects_programme_ins ON projects_programme;

DROP TRIGGER IF EXISTS search_projects_programme_upd ON projects_programme;

DROP TRIGGER IF EXISTS search_projects_programme_del ON projects_programme;

DROP FUNCTION IF EXISTS search_projects_programme_upsert();

DROP FUNCTION IF EXISTS search_projects_programme_delete();

DROP TRIGGER IF EXISTS search_projects_project_ins ON projects_project;

DROP TRIGGER IF EXISTS search_projects_project_upd ON projects_project;

DROP TRIGGER IF EXISTS search_projects_project_del ON projects_project;

DROP FUNCTION IF EXISTS search_projects_project_upsert();

DROP FUNCTION IF EXISTS search_projects_project_delete();

DROP TRIGGER IF EXISTS search_sources_source_ins ON sources_source;

DROP TRIGGER IF EXISTS search_sources_source_upd ON sources_source;

DROP TRIGGER IF EXISTS search_sources_source_del ON sources_source;

DROP FUNCTION IF EXISTS search_sources_source_upsert();

DROP FUNCTION IF EXISTS search_sources_source_delete();
