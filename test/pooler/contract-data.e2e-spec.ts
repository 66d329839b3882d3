/* eslint-disable @typescript-eslint/no-require-imports -- the suites below must register their
   tests inside this describe, and only require() runs a module there. */
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
    require('../tasks/tasks.int-spec');
    require('../tasks/pagination.int-spec');
    require('../tasks/persistence.int-spec');
    require('../health/health.e2e-spec');
    itCheckedTheyWentThroughThePooler(context);
  },
);
