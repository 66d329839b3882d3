// `npm run token -- <user_id> [--ttl 1h]`: prints an HS256 bearer token for local use, signed
// with AUTH_JWT_SECRET from the environment or `.env` (as the app reads it).
import { runTokenCommand } from '../src/core/auth/dev-token';
import { loadEnvFile } from '../src/core/config/env-file';

loadEnvFile();
runTokenCommand(process.argv.slice(2), process.env).then(
  ({ token, note }) => {
    if (note) process.stderr.write(`${note}\n`);
    process.stdout.write(`${token}\n`);
  },
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
