/* eslint-disable @typescript-eslint/no-require-imports -- the suites below must register their
   tests inside this describe, and only require() runs a module there. */
import {
  describeWithPgBouncer,
  itCheckedTheyWentThroughThePooler,
  routeAppsThroughPgBouncer,
} from '../support/pgbouncer';

/** The sync suites, unchanged, with every app connecting through PgBouncer in transaction mode. */
describeWithPgBouncer('through PgBouncer (transaction mode): sync', () => {
  const context = routeAppsThroughPgBouncer();
  require('../tasks/sync.e2e-spec');
  require('../tasks/sync-concurrency.e2e-spec');
  itCheckedTheyWentThroughThePooler(context);
});
