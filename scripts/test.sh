#!/usr/bin/env bash
# npm test: lint, typecheck, unit and integration tests, production build, end-to-end tests.
# Fails loudly, never skips, when a prerequisite is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nnpm test cannot run: %s\n' "$*" >&2; exit 1; }

[ -d node_modules ] || fail "dependencies are not installed; run npm install first."
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || fail "Chromium is needed for the end-to-end tests and is not at $CHROMIUM. Install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH."
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "Integration tests run on PGlite and on PostgreSQL ($TEST_DATABASE_URL)."
else
  echo "Integration tests run on PGlite (set TEST_DATABASE_URL to run them on PostgreSQL too)."
fi
mkdir -p .reports
rm -f .reports/vitest.json .reports/playwright.json

step "lint"
npx eslint --max-warnings=0 .
step "typecheck"
npx tsc --noEmit
step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json
step "production build"
npx next build
step "end-to-end tests (Playwright, Chromium at $CHROMIUM)"
npx playwright test

node scripts/test-summary.mjs .reports/vitest.json .reports/playwright.json
