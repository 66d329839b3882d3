/** Name of the bearer security scheme in the OpenAPI document. */
export const BEARER_AUTH = 'bearer';

/** Where Swagger UI is served; the response headers give this path its own CSP. */
export const DOCS_PATH = '/docs';
