-- Tables, grants and Row-Level Security policies of TaskMaster Pro.
--
-- Shape must match the drizzle schema in src/schema (test/schema-parity.test.ts
-- compares them). Every table is ENABLE + FORCE RLS; every policy reads the
-- caller through a context function wrapped in a scalar subquery,
-- `(select app.current_user_id())`, so the planner evaluates it once per query
-- (an InitPlan) instead of once per row. src/lint-rls.ts checks all of this.
--
-- Roles (0000): the API logs in as app_api (owns nothing, no privileges of its
-- own) and per transaction becomes app_user (a signed-in user) or app_service
-- (sign-up, sign-in, session refresh). The migrator that runs this file owns
-- every object and must bypass RLS (superuser or BYPASSRLS): the SECURITY
-- DEFINER helpers below rely on that.

-- ---------------------------------------------------------------------------
-- Context functions. NULL (never '') when unset; see 0000 for why nullif.
-- ---------------------------------------------------------------------------

-- Lower-cased here so policies compare against lower(users.email) whatever
-- case the API passed.
create function app.current_email() returns text
  language sql stable parallel safe
  as $$ select lower(nullif(current_setting('app.email', true), '')) $$;

create function app.current_token_hash() returns text
  language sql stable parallel safe
  as $$ select nullif(current_setting('app.token_hash', true), '') $$;

revoke all on function app.current_email() from public;
revoke all on function app.current_token_hash() from public;
grant execute on function app.current_email() to app_user, app_service;
grant execute on function app.current_token_hash() to app_user, app_service;

-- updated_at is the database's job, so no code path can forget it.
create function app.set_updated_at() returns trigger
  language plpgsql
  set search_path = ''
  as $$
begin
  new.updated_at := now();
  return new;
end
$$;
revoke all on function app.set_updated_at() from public;

-- Nobody but the migrator creates objects in public (PostgreSQL 15+ default,
-- stated here so older servers behave the same).
revoke create on schema public from public;
grant usage on schema public to app_user, app_service;

-- The migrator's own bookkeeping: RLS forced and no grants, so the app roles
-- cannot even see it. The lint accepts a policy-less table only in that state.
alter table public.schema_migrations enable row level security;
alter table public.schema_migrations force row level security;
revoke all on public.schema_migrations from public;

-- ---------------------------------------------------------------------------
-- Enums
-- ---------------------------------------------------------------------------
create type public.task_status as enum ('todo', 'in_progress', 'done');
create type public.task_priority as enum ('low', 'medium', 'high');
create type public.member_role as enum ('viewer', 'editor');
create type public.focus_state as enum ('running', 'completed', 'cancelled');

-- ---------------------------------------------------------------------------
-- users
-- ---------------------------------------------------------------------------
create table public.users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  display_name text not null,
  password_hash text not null,
  mfa_secret text,
  mfa_enabled boolean not null default false,
  failed_login_count integer not null default 0,
  last_failed_login_at timestamp with time zone,
  password_changed_at timestamp with time zone not null default now(),
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now()
);
create unique index users_email_lower_key on public.users (lower(email));
create trigger users_set_updated_at before update on public.users
  for each row execute function app.set_updated_at();

alter table public.users enable row level security;
alter table public.users force row level security;

-- A signed-in user reads and edits their own profile; id and email are not
-- theirs to change, and rows are created by sign-up (app_service) only.
grant select on public.users to app_user;
grant update (display_name, password_hash, mfa_secret, mfa_enabled, password_changed_at, updated_at)
  on public.users to app_user;
create policy users_self_select on public.users for select to app_user
  using (id = (select app.current_user_id()));
create policy users_self_update on public.users for update to app_user
  using (id = (select app.current_user_id()))
  with check (id = (select app.current_user_id()));

-- Sign-up inserts the row for the email in the context; sign-in finds a user by
-- that email and keeps the failed-login counters; refresh finds them by id.
grant select, insert on public.users to app_service;
grant update (failed_login_count, last_failed_login_at, updated_at) on public.users to app_service;
create policy users_service_select on public.users for select to app_service
  using (id = (select app.current_user_id()) or lower(email) = (select app.current_email()));
create policy users_service_insert on public.users for insert to app_service
  with check (lower(email) = (select app.current_email()));
create policy users_service_update on public.users for update to app_service
  using (id = (select app.current_user_id()) or lower(email) = (select app.current_email()))
  with check (id = (select app.current_user_id()) or lower(email) = (select app.current_email()));

-- ---------------------------------------------------------------------------
-- sessions (refresh-token families)
-- ---------------------------------------------------------------------------
create table public.sessions (
  id uuid primary key default gen_random_uuid(),
  family_id uuid not null,
  user_id uuid not null,
  token_hash text not null,
  expires_at timestamp with time zone not null,
  idle_expires_at timestamp with time zone not null,
  created_at timestamp with time zone not null default now(),
  last_seen_at timestamp with time zone not null default now(),
  rotated_at timestamp with time zone,
  ip text,
  user_agent text,
  mfa_verified boolean not null default false,
  revoked boolean not null default false,
  constraint sessions_token_hash_unique unique (token_hash),
  constraint sessions_user_id_users_id_fk foreign key (user_id) references public.users (id) on delete cascade
);
create index sessions_user_id_idx on public.sessions (user_id);
create index sessions_family_id_idx on public.sessions (family_id);

alter table public.sessions enable row level security;
alter table public.sessions force row level security;

-- The family of the session whose token hash is in the context. SECURITY
-- DEFINER because a policy on sessions cannot query sessions itself (that is
-- infinite recursion); it reveals nothing the token holder cannot already read.
create function app.current_token_family_id() returns uuid
  language sql stable security definer
  set search_path = ''
  as $$
    select s.family_id from public.sessions s
    where s.token_hash = nullif(current_setting('app.token_hash', true), '')
  $$;
revoke all on function app.current_token_family_id() from public;
grant execute on function app.current_token_family_id() to app_service;

-- No grant to app_user at all: tokens are never visible to signed-in code.
-- app_service sees the user's sessions (list/revoke), the presented token's
-- row (refresh) and its family (reuse detection revokes the family). No delete:
-- sessions are revoked, and removed only with their user.
grant select, insert on public.sessions to app_service;
grant update (last_seen_at, idle_expires_at, rotated_at, revoked, mfa_verified) on public.sessions to app_service;
create policy sessions_service_select on public.sessions for select to app_service
  using (
    user_id = (select app.current_user_id())
    or token_hash = (select app.current_token_hash())
    or family_id = (select app.current_token_family_id())
  );
create policy sessions_service_insert on public.sessions for insert to app_service
  with check (user_id = (select app.current_user_id()));
create policy sessions_service_update on public.sessions for update to app_service
  using (
    user_id = (select app.current_user_id())
    or token_hash = (select app.current_token_hash())
    or family_id = (select app.current_token_family_id())
  )
  with check (
    user_id = (select app.current_user_id())
    or token_hash = (select app.current_token_hash())
    or family_id = (select app.current_token_family_id())
  );

-- ---------------------------------------------------------------------------
-- projects and project_members
-- ---------------------------------------------------------------------------
create table public.projects (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null,
  name text not null,
  color text not null default '#4f46e5',
  archived boolean not null default false,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint projects_owner_id_users_id_fk foreign key (owner_id) references public.users (id) on delete cascade
);
create index projects_owner_id_idx on public.projects (owner_id, created_at, id);
create trigger projects_set_updated_at before update on public.projects
  for each row execute function app.set_updated_at();

create table public.project_members (
  project_id uuid not null,
  user_id uuid not null,
  role public.member_role not null default 'viewer',
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint project_members_project_id_user_id_pk primary key (project_id, user_id),
  constraint project_members_project_id_projects_id_fk foreign key (project_id)
    references public.projects (id) on delete cascade,
  constraint project_members_user_id_users_id_fk foreign key (user_id) references public.users (id) on delete cascade
);
create index project_members_user_id_idx on public.project_members (user_id);
create trigger project_members_set_updated_at before update on public.project_members
  for each row execute function app.set_updated_at();

-- Why SECURITY DEFINER helpers: "members may read the member list" makes the
-- project_members policy ask project_members (and projects, whose policy asks
-- project_members) - PostgreSQL rejects that with "infinite recursion detected
-- in policy". These functions run as their owner (the migrator, which bypasses
-- RLS), answer one yes/no question about the current user, and have an empty
-- search_path so a caller cannot shadow public.* with their own objects.
create function app.can_read_project(target uuid) returns boolean
  language sql stable security definer
  set search_path = ''
  as $$
    select exists (
      select 1 from public.projects p
      where p.id = target and p.owner_id = app.current_user_id()
    ) or exists (
      select 1 from public.project_members m
      where m.project_id = target and m.user_id = app.current_user_id()
    )
  $$;

create function app.can_write_project(target uuid) returns boolean
  language sql stable security definer
  set search_path = ''
  as $$
    select exists (
      select 1 from public.projects p
      where p.id = target and p.owner_id = app.current_user_id()
    ) or exists (
      select 1 from public.project_members m
      where m.project_id = target and m.user_id = app.current_user_id() and m.role = 'editor'
    )
  $$;

create function app.is_project_owner(target uuid) returns boolean
  language sql stable security definer
  set search_path = ''
  as $$
    select exists (
      select 1 from public.projects p
      where p.id = target and p.owner_id = app.current_user_id()
    )
  $$;

revoke all on function app.can_read_project(uuid) from public;
revoke all on function app.can_write_project(uuid) from public;
revoke all on function app.is_project_owner(uuid) from public;
grant execute on function app.can_read_project(uuid) to app_user;
grant execute on function app.can_write_project(uuid) to app_user;
grant execute on function app.is_project_owner(uuid) to app_user;

alter table public.projects enable row level security;
alter table public.projects force row level security;

-- Owner and members read; only the owner creates (as themselves), renames,
-- archives, deletes. owner_id is not updatable: ownership does not move.
grant select, insert, delete on public.projects to app_user;
grant update (name, color, archived, updated_at) on public.projects to app_user;
create policy projects_select on public.projects for select to app_user
  using (
    owner_id = (select app.current_user_id())
    or id in (select m.project_id from public.project_members m where m.user_id = (select app.current_user_id()))
  );
create policy projects_insert on public.projects for insert to app_user
  with check (owner_id = (select app.current_user_id()));
create policy projects_update on public.projects for update to app_user
  using (owner_id = (select app.current_user_id()))
  with check (owner_id = (select app.current_user_id()));
create policy projects_delete on public.projects for delete to app_user
  using (owner_id = (select app.current_user_id()));

alter table public.project_members enable row level security;
alter table public.project_members force row level security;

-- Visible to everyone on the project; managed by the owner only (editors
-- cannot share or unshare). A removed member loses access with the row.
grant select, insert, delete on public.project_members to app_user;
grant update (role, updated_at) on public.project_members to app_user;
create policy project_members_select on public.project_members for select to app_user
  using (user_id = (select app.current_user_id()) or app.can_read_project(project_id));
create policy project_members_insert on public.project_members for insert to app_user
  with check (app.is_project_owner(project_id));
create policy project_members_update on public.project_members for update to app_user
  using (app.is_project_owner(project_id))
  with check (app.is_project_owner(project_id));
create policy project_members_delete on public.project_members for delete to app_user
  using (app.is_project_owner(project_id));

-- Member names for projects.members.list: users' RLS shows a user only their
-- own row, so co-members' email and display name come through this view. It
-- runs with its owner's rights (not security_invoker) and returns rows of
-- readable projects only; security_barrier keeps callers' non-leakproof
-- predicates from being evaluated before that filter.
create view app.project_member_profiles with (security_barrier) as
  select p.id as project_id, p.owner_id as user_id, u.email, u.display_name, 'owner'::text as role, p.created_at
  from public.projects p
  join public.users u on u.id = p.owner_id
  where app.can_read_project(p.id)
  union all
  select m.project_id, m.user_id, u.email, u.display_name, m.role::text as role, m.created_at
  from public.project_members m
  join public.users u on u.id = m.user_id
  where app.can_read_project(m.project_id);
revoke all on app.project_member_profiles from public;
grant select on app.project_member_profiles to app_user;

-- ---------------------------------------------------------------------------
-- tasks
-- ---------------------------------------------------------------------------
create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null,
  creator_id uuid not null,
  title text not null,
  description text not null default '',
  status public.task_status not null default 'todo',
  priority public.task_priority not null default 'medium',
  tags text[] not null default '{}'::text[],
  due_date date,
  position double precision not null,
  completed_at timestamp with time zone,
  search tsvector generated always as (to_tsvector('simple', title || ' ' || description)) stored,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint tasks_project_id_projects_id_fk foreign key (project_id) references public.projects (id) on delete cascade,
  constraint tasks_creator_id_users_id_fk foreign key (creator_id) references public.users (id) on delete cascade
);
create index tasks_project_position_idx on public.tasks (project_id, position, id);
create index tasks_project_created_idx on public.tasks (project_id, created_at desc, id);
create index tasks_project_due_idx on public.tasks (project_id, due_date, id);
create index tasks_creator_id_idx on public.tasks (creator_id);
create index tasks_tags_idx on public.tasks using gin (tags);
create index tasks_search_idx on public.tasks using gin (search);
create trigger tasks_set_updated_at before update on public.tasks
  for each row execute function app.set_updated_at();

alter table public.tasks enable row level security;
alter table public.tasks force row level security;

-- Readable with the project; writable by its owner and editors. The project
-- sets are plain subqueries with the wrapped context function (hashed once per
-- statement, served by projects_owner_id_idx and project_members_user_id_idx),
-- not a per-row function call. WITH CHECK repeats the rule so a task cannot be
-- moved into a project the writer cannot write, and creator_id is the writer.
grant select, insert, delete on public.tasks to app_user;
grant update (project_id, title, description, status, priority, tags, due_date, position, completed_at, updated_at)
  on public.tasks to app_user;
create policy tasks_select on public.tasks for select to app_user
  using (
    project_id in (select p.id from public.projects p where p.owner_id = (select app.current_user_id()))
    or project_id in (
      select m.project_id from public.project_members m where m.user_id = (select app.current_user_id())
    )
  );
create policy tasks_insert on public.tasks for insert to app_user
  with check (
    creator_id = (select app.current_user_id())
    and (
      project_id in (select p.id from public.projects p where p.owner_id = (select app.current_user_id()))
      or project_id in (
        select m.project_id from public.project_members m
        where m.user_id = (select app.current_user_id()) and m.role = 'editor'
      )
    )
  );
create policy tasks_update on public.tasks for update to app_user
  using (
    project_id in (select p.id from public.projects p where p.owner_id = (select app.current_user_id()))
    or project_id in (
      select m.project_id from public.project_members m
      where m.user_id = (select app.current_user_id()) and m.role = 'editor'
    )
  )
  with check (
    project_id in (select p.id from public.projects p where p.owner_id = (select app.current_user_id()))
    or project_id in (
      select m.project_id from public.project_members m
      where m.user_id = (select app.current_user_id()) and m.role = 'editor'
    )
  );
create policy tasks_delete on public.tasks for delete to app_user
  using (
    project_id in (select p.id from public.projects p where p.owner_id = (select app.current_user_id()))
    or project_id in (
      select m.project_id from public.project_members m
      where m.user_id = (select app.current_user_id()) and m.role = 'editor'
    )
  );

-- ---------------------------------------------------------------------------
-- notes (body is ciphertext, written by the API)
-- ---------------------------------------------------------------------------
create table public.notes (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null,
  project_id uuid,
  title text not null,
  body text not null,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint notes_owner_id_users_id_fk foreign key (owner_id) references public.users (id) on delete cascade,
  constraint notes_project_id_projects_id_fk foreign key (project_id) references public.projects (id) on delete set null
);
create index notes_owner_updated_idx on public.notes (owner_id, updated_at desc, id);
create index notes_project_id_idx on public.notes (project_id);
create trigger notes_set_updated_at before update on public.notes
  for each row execute function app.set_updated_at();

alter table public.notes enable row level security;
alter table public.notes force row level security;

-- Owner only. A note may point at a project only if the owner can read it
-- (the subquery on projects runs under projects' own policy).
grant select, insert, delete on public.notes to app_user;
grant update (project_id, title, body, updated_at) on public.notes to app_user;
create policy notes_select on public.notes for select to app_user
  using (owner_id = (select app.current_user_id()));
create policy notes_insert on public.notes for insert to app_user
  with check (
    owner_id = (select app.current_user_id())
    and (project_id is null or exists (select 1 from public.projects p where p.id = notes.project_id))
  );
create policy notes_update on public.notes for update to app_user
  using (owner_id = (select app.current_user_id()))
  with check (
    owner_id = (select app.current_user_id())
    and (project_id is null or exists (select 1 from public.projects p where p.id = notes.project_id))
  );
create policy notes_delete on public.notes for delete to app_user
  using (owner_id = (select app.current_user_id()));

-- ---------------------------------------------------------------------------
-- focus_sessions
-- ---------------------------------------------------------------------------
create table public.focus_sessions (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null,
  task_id uuid,
  planned_minutes integer not null,
  started_at timestamp with time zone not null default now(),
  ended_at timestamp with time zone,
  state public.focus_state not null default 'running',
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint focus_sessions_owner_id_users_id_fk foreign key (owner_id) references public.users (id) on delete cascade,
  constraint focus_sessions_task_id_tasks_id_fk foreign key (task_id) references public.tasks (id) on delete set null
);
create index focus_sessions_owner_started_idx on public.focus_sessions (owner_id, started_at desc, id);
create index focus_sessions_task_id_idx on public.focus_sessions (task_id);
create trigger focus_sessions_set_updated_at before update on public.focus_sessions
  for each row execute function app.set_updated_at();

alter table public.focus_sessions enable row level security;
alter table public.focus_sessions force row level security;

-- Owner only; a linked task must be one the owner can read (tasks' policy
-- applies inside the subquery).
grant select, insert, delete on public.focus_sessions to app_user;
grant update (task_id, planned_minutes, started_at, ended_at, state, updated_at) on public.focus_sessions to app_user;
create policy focus_sessions_select on public.focus_sessions for select to app_user
  using (owner_id = (select app.current_user_id()));
create policy focus_sessions_insert on public.focus_sessions for insert to app_user
  with check (
    owner_id = (select app.current_user_id())
    and (task_id is null or exists (select 1 from public.tasks t where t.id = focus_sessions.task_id))
  );
create policy focus_sessions_update on public.focus_sessions for update to app_user
  using (owner_id = (select app.current_user_id()))
  with check (
    owner_id = (select app.current_user_id())
    and (task_id is null or exists (select 1 from public.tasks t where t.id = focus_sessions.task_id))
  );
create policy focus_sessions_delete on public.focus_sessions for delete to app_user
  using (owner_id = (select app.current_user_id()));

-- ---------------------------------------------------------------------------
-- audit_log (append-only)
-- ---------------------------------------------------------------------------
create table public.audit_log (
  id uuid primary key default gen_random_uuid(),
  actor_id uuid,
  action text not null,
  entity text not null,
  entity_id uuid,
  ip text,
  metadata jsonb,
  created_at timestamp with time zone not null default now()
);
create index audit_log_actor_created_idx on public.audit_log (actor_id, created_at desc, id);

alter table public.audit_log enable row level security;
alter table public.audit_log force row level security;

-- No role has UPDATE or DELETE: entries cannot be changed once written.
-- Users append and read their own; the service appends for the user in its
-- context (by id, or by the signing-in email) or anonymously (actor_id null,
-- e.g. a failed sign-in for an unknown email). The service reads nothing.
grant select, insert on public.audit_log to app_user;
grant insert on public.audit_log to app_service;
create policy audit_log_select on public.audit_log for select to app_user
  using (actor_id = (select app.current_user_id()));
create policy audit_log_insert on public.audit_log for insert to app_user
  with check (actor_id = (select app.current_user_id()));
create policy audit_log_service_insert on public.audit_log for insert to app_service
  with check (
    actor_id is null
    or actor_id = (select app.current_user_id())
    or actor_id in (select u.id from public.users u where lower(u.email) = (select app.current_email()))
  );
