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
import { DataLayerError, InvalidInputError } from './pg-errors';
import type { SqlExecutor, SqlResult, SqlRunner, Statement } from './sql-executor';

/** Whose rows a call may touch: the authenticated user; `runner` when the call joins a transaction. */
export interface Owner {
  readonly id: string;
  readonly runner?: SqlRunner;
}

/** A table of rows owned by one user each: `user_id`, a uuid `id`, and the keyset to page it by. */
export interface OwnedTable extends KeysetTable {
  /** Columns a partial update may set; their names are the fields of `changes`. */
  editable: readonly string[];
  /** When it has a change feed (core/sync). */
  tombstones?: string;
}

const USER_ID_MESSAGES = {
  missing: 'user id is required',
  blank: 'user id is required',
  too_long: 'user id is too long',
  nul: 'user id must not contain NUL',
};

/**
 * The base of every repository of owned rows. Each statement takes the owner first and has
 * `user_id = $1` in its WHERE, so another user's row is, to the caller, a row that does not exist
 * (null / false). Statements are named by shape and prepared once per connection.
 */
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

  /** Sets the fields present in `changes`; null when the owner has no such row. */
  async update(owner: Owner, id: string, changes: Partial<Row>): Promise<Row | null> {
    const fields = this.table.editable.filter((field) => changes[field] !== undefined);
    if (fields.length === 0) throw new InvalidInputError('Nothing to update');
    const statement = this.statement(`update_${fields.join('_')}`, () => {
      const set = fields.map((field, i) => `${field} = $${i + 3}`).join(', ');
      return `UPDATE ${this.table.name} SET ${set} WHERE user_id = $1 AND id = $2 RETURNING ${this.table.select}`;
    });
    return this.first('update', owner, statement, [checkId(id), ...fields.map((f) => changes[f])]);
  }

  /** True when the owner's row was deleted, false when the owner has no such row. */
  async delete(owner: Owner, id: string): Promise<boolean> {
    const statement = this.statement(
      'delete',
      () => `DELETE FROM ${this.table.name} WHERE user_id = $1 AND id = $2`,
    );
    const { rowCount } = await this.run('delete', owner, statement, [checkId(id)]);
    return rowCount > 0;
  }

  /** One keyset page of the owner's rows where each `filters` column equals its value. */
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
    const { rows } = await this.run<Row & { fits?: boolean }>(
      'list',
      owner,
      statement,
      query.values.slice(1),
    );
    return keysetPage(this.table, rows, page, query.budgeted);
  }

  /** One answer of the owner's change feed (core/sync); the table needs `tombstones`. */
  async changes(owner: Owner, request: ChangeRequest): Promise<Changes<Row>> {
    const query = changesQuery(this.table, request);
    const statement = this.statement(query.name, () => query.text);
    const { rows } = await this.run('changes', owner, statement, query.values);
    return changesPage<Row>(this.table, rows, { ...request, ...query });
  }

  /** The first row a statement returned, or null. */
  protected async first(
    operation: string,
    owner: Owner,
    statement: Statement,
    values: unknown[],
  ): Promise<Row | null> {
    const { rows } = await this.run<Row>(operation, owner, statement, values);
    return rows[0] ?? null;
  }

  /**
   * Runs `statement` with the owner's id as $1 and `values` after it, on the owner's transaction
   * when it has one. A missing or malformed owner is refused before any SQL runs; what fails is
   * named by `operation` for its log line.
   */
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

  /** The statement of one shape, made once and named `<table>_<shape>`. */
  protected statement(shape: string, text: () => string): Statement {
    let statement = this.statements.get(shape);
    if (!statement) {
      statement = { name: `${this.table.name}_${shape}`, text: text() };
      this.statements.set(shape, statement);
    }
    return statement;
  }
}

/** A malformed id can name no row; refused before a query (PostgreSQL would say 22P02). */
export function checkId(id: string): string {
  if (!isUuid(id)) throw new InvalidInputError('id must be a uuid', 'id');
  return id;
}
