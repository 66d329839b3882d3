// The watch build `npm run dev` runs: `nest start --watch` on tsconfig.dev.json (no type check, so
// the app is up in seconds). Like every `nest start`, it deletes dist/ first and writes the app
// without dist/migrations; the test setup (test/support/build-dist.mjs) rebuilds dist/ after it,
// and test/ops/dist-freshness.e2e-spec.ts runs this exact command to prove so.
import { join } from 'node:path';

export function nestWatchCommand(root) {
  return {
    command: join(root, 'node_modules', '.bin', 'nest'),
    args: ['start', '--watch', '--no-shell', '--path', 'tsconfig.dev.json'],
  };
}
