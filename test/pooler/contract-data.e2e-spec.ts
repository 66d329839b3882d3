import {
  describeWithPgBouncer,
  itCheckedTheyWentThroughThePooler,
  routeAppsThroughPgBouncer,
} from '../support/pgbouncer';

/** The data-layer and health suites, unchanged, with every app connecting through PgBouncer. */
describeWithPgBouncer(
  'through PgBouncer (transaction mode): data layer, pagination, health',
  () => {
    const context = routeAppsThroughPgBouncer();
    require('../tasks/tasks.e2e-spec');
    require('../tasks/pagination.e2e-spec');
    require('../tasks/persistence.e2e-spec');
    require('../health/health.e2e-spec');
    itCheckedTheyWentThroughThePooler(context);
  },
);
