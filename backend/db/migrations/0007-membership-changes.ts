import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * Joining a location announces its older certs in the change feed (docs/SYNC.md, "Change feed").
 *
 * A new member of a location can view every cert the location owns or received, but until now
 * nothing wrote a feed row for them, so a pane following the feed never heard of those certs. Like
 * the other feed rows (migration 0004) these come from a trigger, on `user_locations`, so every
 * path that adds a membership (inviting a user, editing their locations, the seed, the admin CLI,
 * tomorrow's code) writes them in its own transaction, and a crash keeps both or neither.
 *
 * One `joined` row per cert the member can view *only* through the joined location: a cert they
 * already saw through another of their locations or a share to them is not news. Other members
 * never see these rows (the feed shows a `joined` row to its `target_user_id` alone).
 *
 * SQLite runs row triggers right after each row, so in a multi-row insert a later row already sees
 * the earlier ones as "other memberships" and a cert reachable through two new locations is
 * announced once. PostgreSQL runs AFTER row triggers when the statement ends (each would see all
 * new rows, and none would announce the shared cert), so there the trigger is per statement and
 * reads the new rows from a transition table, which gives the same answer. It takes the feed's
 * advisory lock before taking sequence numbers, as migration 0004 explains.
 */
const CHANGE_LOCK = 73_700_401;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await postgresTrigger(db);
  else await sqliteTrigger(db);
}

async function sqliteTrigger(db: Kysely<unknown>): Promise<void> {
  const now = sql.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`);
  await sql`create trigger cert_changes_joined after insert on user_locations begin
    insert into cert_changes (cert_id, kind, target_user_id, target_location_id, changed_at)
    select c.id, 'joined', new.user_id, new.location_id, ${now}
    from certs c
    where c.id in (
        select o.cert_id from cert_owner_locations o where o.location_id = new.location_id
        union select s.cert_id from cert_shares s where s.target_location_id = new.location_id)
      and not exists (
        select 1 from cert_owner_locations o join user_locations m on m.location_id = o.location_id
        where o.cert_id = c.id and m.user_id = new.user_id and m.location_id <> new.location_id)
      and not exists (
        select 1 from cert_shares s
        where s.cert_id = c.id and (s.target_user_id = new.user_id or s.target_location_id in (
          select m.location_id from user_locations m where m.user_id = new.user_id and m.location_id <> new.location_id)))
    order by c.created_at, c.id; end`.execute(db);
}

async function postgresTrigger(db: Kysely<unknown>): Promise<void> {
  await sql`create function smartcert_membership_change() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from added) then return null; end if;
      perform pg_advisory_xact_lock(${sql.lit(CHANGE_LOCK)});
      insert into cert_changes (cert_id, kind, target_user_id, target_location_id, changed_at)
      select j.cert_id, 'joined', j.user_id, j.location_id, now()
      from (
        select distinct on (x.user_id, x.cert_id) x.user_id, x.cert_id, x.location_id
        from (
          select a.user_id, a.location_id, o.cert_id from added a join cert_owner_locations o on o.location_id = a.location_id
          union all
          select a.user_id, a.location_id, s.cert_id from added a join cert_shares s on s.target_location_id = a.location_id
        ) x
        where not exists (
            select 1 from cert_owner_locations o join user_locations m on m.location_id = o.location_id
            where o.cert_id = x.cert_id and m.user_id = x.user_id
              and not exists (select 1 from added n where n.user_id = m.user_id and n.location_id = m.location_id))
          and not exists (
            select 1 from cert_shares s
            where s.cert_id = x.cert_id and (s.target_user_id = x.user_id or s.target_location_id in (
              select m.location_id from user_locations m
              where m.user_id = x.user_id and not exists (select 1 from added n where n.user_id = m.user_id and n.location_id = m.location_id))))
        order by x.user_id, x.cert_id, x.location_id
      ) j
      join certs c on c.id = j.cert_id
      order by j.user_id, c.created_at, c.id;
      return null;
    end $$`.execute(db);
  await sql`create trigger cert_changes_joined after insert on user_locations referencing new table as added
    for each statement execute function smartcert_membership_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger cert_changes_joined on user_locations`.execute(db);
    await sql`drop function smartcert_membership_change()`.execute(db);
  } else {
    await sql`drop trigger cert_changes_joined`.execute(db);
  }
}
