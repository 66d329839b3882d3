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
  require('../api/tasks.e2e-spec');
  require('../api/nasty-inputs.e2e-spec');
  require('../api/auth-errors.e2e-spec');
  require('../api/concurrency.e2e-spec');
  itCheckedTheyWentThroughThePooler(context);
});
