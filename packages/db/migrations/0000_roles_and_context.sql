-- Roles are cluster-wide, so they are created only when missing; two
-- migrators racing on one cluster (parallel test databases) both succeed.
do $$
declare
  r record;
begin
  for r in select * from (values
      ('app_user',    'create role app_user nologin noinherit nobypassrls'),
      ('app_service', 'create role app_service nologin noinherit nobypassrls'),
      ('app_api',     'create role app_api login noinherit nosuperuser nocreatedb nocreaterole nobypassrls')
    ) as t(name, ddl)
  loop
    if not exists (select 1 from pg_roles where rolname = r.name) then
      begin
        execute r.ddl;
      exception when duplicate_object or unique_violation then
        null;
      end;
    end if;
  end loop;
end
$$;

-- The API logs in as app_api and can only become one of the two app roles.
grant app_user to app_api;
grant app_service to app_api;

create schema if not exists app;
revoke all on schema app from public;
grant usage on schema app to app_user, app_service;

-- The current user id for RLS policies. NULL (never '') when no context is set:
-- after a transaction-local set_config ends, the setting reads back as ''.
create or replace function app.current_user_id() returns uuid
  language sql stable parallel safe
  as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;

revoke all on function app.current_user_id() from public;
grant execute on function app.current_user_id() to app_user, app_service;
