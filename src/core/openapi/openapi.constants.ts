/** Name of the bearer security scheme in the OpenAPI document. */
export const BEARER_AUTH = 'bearer';
