#!/usr/bin/env bash
# Mutation testing (stryker.config.mjs), one Stryker run per module so that each file must reach
# the break threshold on its own: a weak file cannot hide behind a strong one.
set -euo pipefail
cd "$(dirname "$0")/.."
# `npm run mutation -- src/core/auth/bearer.ts` runs one file; no argument: every configured file.
files=${*:-$(node --input-type=module -e "console.log((await import('./stryker.config.mjs')).default.mutate.join(' '))")}
status=0
for file in $files; do
  echo "== mutation testing $file"
  STRYKER_SPEC="${file%.ts}\\.spec\\.ts$" npx stryker run --mutate "$file" || status=1
done
exit "$status"
