import type { QueryResultRow } from 'pg';
import {
  keysetPage,
  keysetQuery,
  type KeysetTable,
  type Page,
  PAGE_LIMIT_MAX,
  type PageRequest,
} from '../paging/keyset';
import { type ChangeRequest, type Changes, changesPage, changesQuery } from '../sync/change-feed';
import { isUuid, userIdProblem } from '../validation/identifiers';
import { ERRORS } from '../errors/api-error';
import { DataLayerError, InvalidInputError } from './pg-errors';
import type { SqlExecutor, SqlResult, SqlRunner, Statement } from './sql-executor';

/** Whose rows a call may touch: the authenticated user; `runner` when the call joins a transaction. */
export interface Owner {
  readonly id: string;
  readonly runner?: SqlRunner;
  /** Versions the row must have for a write to apply (If-Match); absent: any. */
  readonly ifMatch?: readonly string[];
}

/** A table of rows owned by one user each: `user_id`, a uuid `id`, and the keyset to page it by. */
export interface OwnedTable extends KeysetTable {
  /** Columns a partial update may set; their names are the fields of `changes`. */
  editable: readonly string[];
  /** The column that changes with every write, a timestamp: the row's version (its ETag). */
  version?: string;
  /** When it has a change feed (core/sync). */
  tombstones?: string;
}

const USER_ID_MESSAGES = {
  missing: 'user id is required',
  blank: 'user id is required',
  too_long: 'user id is too long',
  nul: 'user id must not contain NUL',
};

/** Every statement has `user_id = $1` in its WHERE: another user's row reads as a missing one. */
export abstract class OwnedRepository<Row extends QueryResultRow & { id: string }> {
  private readonly statements = new Map<string, Statement>();

  protected constructor(
    protected readonly sql: SqlExecutor,
    protected readonly table: OwnedTable,
  ) {}

  async findOne(owner: Owner, id: string): Promise<Row | null> {
    const statement = this.statement(
      'find',
      () => `SELECT ${this.table.select} FROM ${this.table.name} WHERE user_id = $1 AND id = $2`,
    );
    return this.first('findOne', owner, statement, [checkId(id)]);
  }

  /** Null when the owner has no such row. */
  async update(owner: Owner, id: string, changes: Partial<Row>): Promise<Row | null> {
    const fields = this.table.editable.filter((field) => changes[field] !== undefined);
    if (fields.length === 0) throw new InvalidInputError('Nothing to update');
    const set = fields.map((field, i) => `${field} = $${i + 3}`).join(', ');
    const values = [checkId(id), ...fields.map((f) => changes[f])];
    return this.write('update', owner, `update_${fields.join('_')}`, `SET ${set}`, values);
  }

  async delete(owner: Owner, id: string): Promise<boolean> {
    return (await this.write('delete', owner, 'delete', null, [checkId(id)])) !== null;
  }

  /**
   * An UPDATE (`set`) or DELETE (null) of the owner's row `values[0]`, `ifMatch` checked in the
   * same statement so of concurrent writes with one version one applies; 412 at another version.
   */
  protected async write(
    operation: string,
    owner: Owner,
    shape: string,
    set: string | null,
    values: unknown[],
  ): Promise<Row | null> {
    const { name, select, version } = this.table;
    const checked = owner.ifMatch !== undefined && version !== undefined;
    const statement = this.statement(checked ? `${shape}_if` : shape, () => {
      const head = set === null ? `DELETE FROM ${name}` : `UPDATE ${name} ${set}`;
      const condition = checked ? ` AND ${version} = ANY($${values.length + 2})` : '';
      return `${head} WHERE user_id = $1 AND id = $2${condition} RETURNING ${select}`;
    });
    const row = await this.first(operation, owner, statement, [
      ...values,
      ...(checked ? [owner.ifMatch] : []),
    ]);
    if (!row && checked && (await this.findOne(owner, values[0] as string))) {
      throw ERRORS.preconditionFailed.error(
        'It was changed since you loaded it (If-Match does not match its ETag); reload it and try again',
      );
    }
    return row;
  }

  async list(
    owner: Owner,
    page: PageRequest,
    filters: Record<string, unknown> = {},
  ): Promise<Page<Row>> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > PAGE_LIMIT_MAX) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${PAGE_LIMIT_MAX}`, 'limit');
    }
    const query = keysetQuery(this.table, { user_id: owner.id, ...filters }, page);
    const statement = this.statement(query.name, () => query.text);
    const values = query.values.slice(1);
    const { rows } = await this.run<Row & { fits?: boolean }>('list', owner, statement, values);
    return keysetPage(this.table, rows, page, query.budgeted);
  }

  /** The table needs `tombstones`. */
  async changes(owner: Owner, request: ChangeRequest): Promise<Changes<Row>> {
    const query = changesQuery(this.table, request);
    const statement = this.statement(query.name, () => query.text);
    const { rows } = await this.run('changes', owner, statement, query.values);
    return changesPage<Row>(this.table, rows, { ...request, ...query });
  }

  protected async first(
    operation: string,
    owner: Owner,
    statement: Statement,
    values: unknown[],
  ): Promise<Row | null> {
    const { rows } = await this.run<Row>(operation, owner, statement, values);
    return rows[0] ?? null;
  }

  /** `statement` with the owner's id as $1, on its transaction if any; `operation` goes to logs. */
  protected async run<T extends QueryResultRow>(
    operation: string,
    owner: Owner,
    statement: Statement,
    values: unknown[],
  ): Promise<SqlResult<T>> {
    try {
      const problem = userIdProblem(owner?.id);
      if (problem) throw new InvalidInputError(USER_ID_MESSAGES[problem], 'user_id');
      return await (owner.runner ?? this.sql).run<T>(statement, [owner.id, ...values]);
    } catch (error) {
      (error as DataLayerError).operation = operation;
      throw error;
    }
  }

  protected statement(shape: string, text: () => string): Statement {
    if (!this.statements.has(shape)) {
      this.statements.set(shape, { name: `${this.table.name}_${shape}`, text: text() });
    }
    return this.statements.get(shape)!;
  }
}

/** A malformed id can name no row; refused before a query (PostgreSQL would say 22P02). */
export function checkId(id: string): string {
  if (!isUuid(id)) throw new InvalidInputError('id must be a uuid', 'id');
  return id;
}
