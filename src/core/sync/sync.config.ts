import { ConfigSection } from '../config/config';
import { EnvInt } from '../config/env.decorators';

@ConfigSection('sync')
export class SyncConfig {
  /** Days a deletion is kept for the change feeds; an older token is 410 SYNC_TOKEN_EXPIRED. */
  @EnvInt(1, 3650)
  SYNC_TOMBSTONE_RETENTION_DAYS = 30;
}
