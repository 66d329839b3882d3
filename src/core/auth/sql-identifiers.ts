/**
 * Names the configuration may give the session table (optionally `schema.table`) and its
 * columns: PostgreSQL's unquoted identifier letters only, at most 63 characters, so quoting them
 * (to keep Better Auth's camelCase) can never be escaped.
 */
export const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
export const SQL_TABLE_NAME = /^([A-Za-z_][A-Za-z0-9_]{0,62}\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$/;
