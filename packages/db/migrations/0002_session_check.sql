-- Revocation that takes effect on the next request, not when the access token
-- expires. The API calls this in the same statement that sets the RLS context,
-- so checking costs no extra round trip. sessions stays invisible to app_user:
-- the function runs as its owner and answers only "is this family alive for
-- this user", raising 28000 (invalid_authorization_specification) when not.
create function app.require_session(family uuid, owner uuid) returns boolean
  language plpgsql stable security definer
  set search_path = ''
  as $$
  begin
    if not exists (
      select 1 from public.sessions s
      where s.family_id = family
        and s.user_id = owner
        and s.rotated_at is null
        and not s.revoked
        and s.expires_at > now()
        and s.idle_expires_at > now()
    ) then
      raise exception 'session is no longer active' using errcode = '28000';
    end if;
    return true;
  end
  $$;

revoke all on function app.require_session(uuid, uuid) from public;
grant execute on function app.require_session(uuid, uuid) to app_user;

-- The context statement is parsed while the connection is still app_api (the
-- role switch happens when it executes), so app_api must be able to resolve
-- and call this one function. It grants no access to any table.
grant usage on schema app to app_api;
grant execute on function app.require_session(uuid, uuid) to app_api;
