// swagger-ui-dist ships no types; this is the one function the service uses.
declare module 'swagger-ui-dist' {
  /** The folder holding swagger-ui.css, swagger-ui-bundle.js and the other static files. */
  export function getAbsoluteFSPath(): string;
}
