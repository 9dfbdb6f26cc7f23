-- Run by the postgres image (docker-entrypoint-initdb.d) once, when the data volume is first
-- initialised, as the owner (POSTGRES_USER). Creates vioscan_app, the role web and worker connect
-- as: a plain login role that owns nothing. It gets its table privileges from the migrate step
-- (`vioscan migrate` with DATABASE_APP_ROLE=vioscan_app), not here. The password comes from the
-- container's environment (VIOSCAN_APP_PASSWORD, from the uncommitted .env); nothing secret is
-- in this file. CREATEDB lets the worker's weekly restore drill create its scratch database
-- (docs/operations.md); it gives no access to the vioscan database.
\set ON_ERROR_STOP on
\getenv app_password VIOSCAN_APP_PASSWORD
\if :{?app_password}
\else
  do $$ begin raise exception 'VIOSCAN_APP_PASSWORD is not set: cannot create the application role vioscan_app'; end $$;
\endif
create role vioscan_app login nosuperuser nocreaterole noinherit createdb password :'app_password';
