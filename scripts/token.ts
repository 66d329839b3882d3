// `npm run token -- <user_id> [--ttl 1h]`: prints an HS256 bearer token for local use, signed
// with AUTH_JWT_SECRET from the environment or `.env` (as the app reads it).
import { SignJWT } from 'jose';
import { DEVELOPMENT_JWT_SECRET } from '../src/core/auth/auth.config';
import { loadEnvFile } from '../src/core/config/config';
import { hasMoreCodePointsThan, USER_ID_MAX_LENGTH } from '../src/core/validation/identifiers';

export interface TokenRequest {
  userId: string;
  /** jose time span: `90s`, `15m`, `1h`, `7d`. */
  ttl: string;
}

export const TOKEN_USAGE = 'usage: npm run token -- <user_id> [--ttl 1h]';
const TTL =
  /^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/i;

/** Parses `<user_id> [--ttl <span>]`; throws with the usage line when the arguments are wrong. */
export function parseTokenArgs(argv: string[]): TokenRequest {
  let userId: string | undefined;
  let ttl = '1h';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--ttl') {
      const value = argv[++i];
      if (value === undefined || !TTL.test(value)) {
        throw new Error(`--ttl needs a time span such as 15m, 1h or 7d\n${TOKEN_USAGE}`);
      }
      ttl = value;
    } else if (arg.startsWith('-') || userId !== undefined) {
      throw new Error(`unexpected argument ${JSON.stringify(arg)}\n${TOKEN_USAGE}`);
    } else {
      userId = arg;
    }
  }
  if (userId === undefined || userId === '' || hasMoreCodePointsThan(userId, USER_ID_MAX_LENGTH)) {
    throw new Error(
      `a user id (1 to ${USER_ID_MAX_LENGTH} characters) is required\n${TOKEN_USAGE}`,
    );
  }
  return { userId, ttl };
}

/**
 * An HS256 token for local use, with the issuer and audience the app would demand when those
 * are configured.
 */
export function signDevToken(
  request: TokenRequest,
  config: { secret: string; issuer?: string; audience?: string },
): Promise<string> {
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.userId)
    .setIssuedAt()
    .setExpirationTime(request.ttl);
  if (config.issuer) jwt.setIssuer(config.issuer);
  const audience = config.audience?.split(',')[0]?.trim();
  if (audience) jwt.setAudience(audience);
  return jwt.sign(new TextEncoder().encode(config.secret));
}

/**
 * What `npm run token` does, minus the process: the secret from the environment (after `.env`),
 * falling back to the development secret outside production.
 */
export async function runTokenCommand(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<{ token: string; note?: string }> {
  const request = parseTokenArgs(argv);
  let secret = env.AUTH_JWT_SECRET?.trim() ? env.AUTH_JWT_SECRET : undefined;
  let note: string | undefined;
  if (secret === undefined) {
    if (env.NODE_ENV === 'production') {
      throw new Error('AUTH_JWT_SECRET is not set (in the environment or .env)');
    }
    secret = DEVELOPMENT_JWT_SECRET;
    note = 'AUTH_JWT_SECRET is not set: signed with the development secret of .env.example';
  }
  const token = await signDevToken(request, {
    secret,
    issuer: env.AUTH_ISSUER?.trim() || undefined,
    audience: env.AUTH_AUDIENCE,
  });
  return { token, note };
}

if (require.main === module) {
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
}
