#!/usr/bin/env bash
# Lighthouse (npm; 12.x runs on Debian's Node 20) with Debian's Chromium on the logged-in booking
# page's date step, as a phone (Lighthouse's default mobile emulation and throttling). Prints the
# performance and accessibility scores; the full report lands in target/measure/lighthouse.html.
#   scripts/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTHOUSE_VERSION=12.8.2
if [[ "$(.tools/node_modules/.bin/lighthouse --version 2>/dev/null || true)" != "$LIGHTHOUSE_VERSION" ]]; then
  npm install --prefix .tools --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION"
fi
source scripts/lib/fresh-server.sh
[[ -x /usr/bin/chromium ]] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

st=$(curl -s -o /dev/null -w '%{redirect_url}' -H "Origin: $BASE" -H "Cookie: $COOKIE" -H 'Accept: text/html' \
  --data 'st_id=2' "$BASE/api/select_student_teacher")
url="$BASE${st#"$BASE"}"
CHROME_PATH=/usr/bin/chromium .tools/node_modules/.bin/lighthouse "$url" --quiet \
  --chrome-flags='--headless=new --no-sandbox --disable-gpu' \
  --only-categories=performance,accessibility \
  --extra-headers="{\"Cookie\": \"$COOKIE\"}" \
  --output=json --output=html --output-path=target/measure/lighthouse >/dev/null
node -e '
  const r = require(process.argv[1]);
  console.log(`Lighthouse ${r.lighthouseVersion}, ${r.configSettings.formFactor}: ${r.finalDisplayedUrl}`);
  for (const c of Object.values(r.categories)) console.log(`${c.title}: ${Math.round(c.score * 100)}`);
  for (const id of ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"])
    console.log(`  ${r.audits[id].title}: ${r.audits[id].displayValue}`);
  const failed = Object.values(r.audits).filter((a) => a.score !== null && a.score < 1 && r.categories.accessibility.auditRefs.some((x) => x.id === a.id));
  for (const a of failed) console.log(`  accessibility: ${a.title}`);
' "$PWD/target/measure/lighthouse.report.json"
