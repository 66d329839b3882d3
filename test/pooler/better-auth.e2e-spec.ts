/* eslint-disable @typescript-eslint/no-require-imports -- the suite below must register its
   tests inside this describe, and only require() runs a module there. */
import {
  describeWithPgBouncer,
  itCheckedTheyWentThroughThePooler,
  routeAppsThroughPgBouncer,
} from '../support/pgbouncer';

/**
 * Better Auth's session tokens and JWTs, unchanged, with the app (and so its session lookups,
 * which default to DATABASE_URL) connecting through PgBouncer in transaction mode: one unnamed
 * SELECT per lookup, no session state, so nothing a transaction pooler cannot carry.
 */
describeWithPgBouncer('through PgBouncer (transaction mode): Better Auth sessions', () => {
  const context = routeAppsThroughPgBouncer();
  require('../auth/better-auth.e2e-spec');
  itCheckedTheyWentThroughThePooler(context);
});
