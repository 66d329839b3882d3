/* eslint-disable @typescript-eslint/no-require-imports -- the suites below must register their
   tests inside this describe, and only require() runs a module there. */
import {
  describeWithPgBouncer,
  itCheckedTheyWentThroughThePooler,
  routeAppsThroughPgBouncer,
} from '../support/pgbouncer';

/**
 * The HTTP contract suites, unchanged, with every app connecting through a PgBouncer in
 * transaction mode with its default settings, as Neon's pooled URL does, and the service's default
 * settings (DATABASE_PREPARED_STATEMENTS=auto). Their HTTP client fails any 5xx.
 */
describeWithPgBouncer('through PgBouncer (transaction mode): the HTTP contract', () => {
  const context = routeAppsThroughPgBouncer();
  require('../tasks/tasks.e2e-spec');
  require('../tasks/nasty-inputs.e2e-spec');
  require('../auth/auth-errors.e2e-spec');
  require('../tasks/concurrency.e2e-spec');
  require('../tasks/quota.e2e-spec');
  require('../tasks/conditional.e2e-spec');
  require('../tasks/idempotency.e2e-spec');
  itCheckedTheyWentThroughThePooler(context);
});
