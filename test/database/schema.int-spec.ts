import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('schema made by the migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('has every column with its type, nullability and default', async () => {
    const columns = await db.query(
      `SELECT column_name, data_type, character_maximum_length AS max_length,
              datetime_precision AS precision, is_nullable, column_default
         FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'tasks'
        ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      {
        column_name: 'id',
        data_type: 'uuid',
        max_length: null,
        precision: null,
        is_nullable: 'NO',
        column_default: 'gen_random_uuid()',
      },
      {
        column_name: 'user_id',
        data_type: 'character varying',
        max_length: 255,
        precision: null,
        is_nullable: 'NO',
        column_default: null,
      },
      {
        column_name: 'title',
        data_type: 'character varying',
        max_length: 255,
        precision: null,
        is_nullable: 'NO',
        column_default: null,
      },
      {
        column_name: 'description',
        data_type: 'text',
        max_length: null,
        precision: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'completed',
        data_type: 'boolean',
        max_length: null,
        precision: null,
        is_nullable: 'NO',
        column_default: 'false',
      },
      {
        column_name: 'created_at',
        data_type: 'timestamp with time zone',
        max_length: null,
        precision: 3,
        is_nullable: 'NO',
        column_default: 'now()',
      },
      {
        column_name: 'updated_at',
        data_type: 'timestamp with time zone',
        max_length: null,
        precision: 3,
        is_nullable: 'NO',
        column_default: 'now()',
      },
      {
        column_name: 'change_xid',
        data_type: 'bigint',
        max_length: null,
        precision: null,
        is_nullable: 'NO',
        column_default: '0',
      },
    ]);
  });

  it('has the primary key and the two blank-refusing checks', async () => {
    const constraints = await db.query<{ conname: string; contype: string; def: string }>(
      `SELECT conname, contype, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE conrelid = 'public.tasks'::regclass AND contype <> 'n' ORDER BY conname`,
    );
    expect(constraints).toEqual([
      { conname: 'tasks_pkey', contype: 'p', def: 'PRIMARY KEY (id)' },
      {
        conname: 'tasks_title_not_blank',
        contype: 'c',
        def: "CHECK ((btrim((title)::text) <> ''::text))",
      },
      {
        conname: 'tasks_user_id_not_blank',
        contype: 'c',
        def: "CHECK ((btrim((user_id)::text) <> ''::text))",
      },
    ]);
  });

  it('has the keyset indexes for listing, with and without the completed filter', async () => {
    const indexes = await db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename = 'tasks' ORDER BY indexname`,
    );
    expect(indexes).toEqual([
      {
        indexname: 'tasks_pkey',
        indexdef: 'CREATE UNIQUE INDEX tasks_pkey ON public.tasks USING btree (id)',
      },
      {
        indexname: 'tasks_user_change_idx',
        indexdef:
          'CREATE INDEX tasks_user_change_idx ON public.tasks USING btree (user_id, change_xid, id)',
      },
      {
        indexname: 'tasks_user_completed_created_idx',
        indexdef:
          'CREATE INDEX tasks_user_completed_created_idx ON public.tasks USING btree (user_id, completed, created_at DESC, id DESC)',
      },
      {
        indexname: 'tasks_user_created_idx',
        indexdef:
          'CREATE INDEX tasks_user_created_idx ON public.tasks USING btree (user_id, created_at DESC, id DESC)',
      },
    ]);
  });

  it('keeps updated_at with a BEFORE UPDATE row trigger', async () => {
    const triggers = await db.query<{ tgname: string; def: string }>(
      `SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger
        WHERE tgrelid = 'public.tasks'::regclass AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers).toEqual([
      {
        tgname: 'tasks_set_change_xid',
        def: 'CREATE TRIGGER tasks_set_change_xid BEFORE INSERT OR UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION set_change_xid()',
      },
      {
        tgname: 'tasks_set_updated_at',
        def: 'CREATE TRIGGER tasks_set_updated_at BEFORE UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION tasks_set_updated_at()',
      },
      {
        tgname: 'tasks_tombstone',
        def: 'CREATE TRIGGER tasks_tombstone AFTER DELETE ON public.tasks FOR EACH ROW EXECUTE FUNCTION tasks_tombstone()',
      },
      {
        tgname: 'tasks_uncount',
        def: 'CREATE TRIGGER tasks_uncount AFTER DELETE ON public.tasks FOR EACH ROW EXECUTE FUNCTION tasks_uncount()',
      },
    ]);
    // It works for any write path, not only the app's: raw SQL with a stale updated_at.
    const [row] = await db.query<{ id: string; updated_at: Date; created_at: Date }>(
      `INSERT INTO tasks (user_id, title, created_at, updated_at)
       VALUES ('u', 't', now() - interval '1 day', now() - interval '1 day') RETURNING *`,
    );
    await db.query(`UPDATE tasks SET title = 't2', updated_at = '2000-01-01' WHERE id = $1`, [
      row.id,
    ]);
    const [after] = await db.query<{ updated_at: Date; created_at: Date }>(
      `SELECT * FROM tasks WHERE id = $1`,
      [row.id],
    );
    expect(after.created_at).toEqual(row.created_at);
    expect(after.updated_at.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('creates no extension (gen_random_uuid is built in)', async () => {
    const extensions = await db.query<{ extname: string }>(`SELECT extname FROM pg_extension`);
    expect(extensions.map((e) => e.extname)).toEqual(['plpgsql']);
  });
});
