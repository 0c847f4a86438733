#!/usr/bin/env bash
# Benchmarks for the budgets in docs/benchmarks.md. Builds the release first, then measures:
#   bundle  the sign-in page's first download (every /pkg file the page loads, as served, brotli)
#           and its LCP under Lighthouse's mobile profile (median of 5, cold); then, signed in,
#           Lopende aanvragen opened cold (the portal's bundle and the page's chunk): bytes, LCP
#   accept  the acceptance page's first download, and its Largest Contentful Paint and layout
#           shift under Lighthouse's mobile profile (slow 4G, 4x CPU slowdown), median of 5
#   start   server start with an initialised embedded database to the first answered request
#   users   the users-list server function at 100,000 users, signed in, wrk with 16 connections,
#           next to a bare axum + sqlx endpoint running the same query (`server bench-baseline`)
#   csv     the wizard's preview of a 10,000-row CSV file in Chromium, upload to first page
#   submit  submitting an application of 10,000 users
#   authorizations  Machtigingen at 1,000,000 authorizations: the overview (first page, deep, each
#           filter) with wrk at 16 connections next to the bare axum + sqlx endpoint; the export
#           (time to 100,000 rows, the whole file, the server's memory); renewing 1,000 in one
#           order; the expiry job's run (20,000 due a notice) and a second run the same day
#   flood   500 concurrent wrong sign-ins (each another account and address) for 20 s: the
#           server's peak memory, and a signed-in manager's requests answered meanwhile
# Usage: scripts/bench.sh [bundle|accept|start|users|csv|submit|authorizations|flood]...
#        (default: all)
# Everything runs on loopback in target/bench-*; nothing touches ./data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench
scripts/build.sh

what=("$@")
[ ${#what[@]} -gt 0 ] || what=(bundle accept start users csv submit authorizations flood)
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
server=target/release/server
export LEPTOS_SITE_ROOT=target/site MACHTIG_ENV=development RUST_LOG=warn
pids=()
# Every benchmark stops what it started, also when it fails or is interrupted: the servers
# (SIGTERM, so each stops its embedded PostgreSQL), then any cluster under target/bench-* that is
# still running (a server killed harder, or a seed-users run that was interrupted).
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
  local pg_ctl
  pg_ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)
  for pidfile in target/bench-*/postgres/postmaster.pid; do
    [ -f "$pidfile" ] || continue
    "${pg_ctl:-pg_ctl}" stop -D "$(dirname "$pidfile")" -m fast -w >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # url
  for _ in $(seq 1 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; return 1
}

start_server() { # port data-dir [env...]
  local port=$1 dir=$2; shift 2
  env MACHTIG_LISTEN=127.0.0.1:$port MACHTIG_PUBLIC_URL=http://127.0.0.1:$port \
    MACHTIG_DATA_DIR="$dir" "$@" "$server" > "target/bench-$port.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/healthz"
}

stop_last() {
  local p=${pids[-1]}
  kill "$p"; wait "$p" 2>/dev/null || true
  unset 'pids[-1]'
}

# Sums what a browser downloads to show a page: every /pkg file the HTML shell names, what the
# boot script names, and what the JS glue statically imports, fetched as served (brotli).
page_download() { # base path budget-KB [cookie]
  local base=$1 total=0 files
  files=$(curl -fs ${4:+-H "Cookie: $4"} "$base$2" | { grep -o '/pkg/[^"'"'"' ]*' || true; } | sort -u)
  for f in $files; do
    local dir=${f%/*}
    files="$files $(curl -fs --compressed "$base$f" | { grep -o '/pkg/[^"'"'"' ]*' || true; })"
    files="$files $(curl -fs --compressed "$base$f" | { grep -o 'from *"\./[^"]*\.js"' || true; } |
      sed "s|.*\"\./\([^\"]*\)\"|$dir/\1|")"
  done
  for f in $(echo "$files" | tr ' ' '\n' | sort -u); do
    local size
    size=$(curl -fs -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "$base$f")
    printf '  %-40s %8d bytes\n' "$f" "$size"
    total=$((total + size))
  done
  printf '  total %d bytes = %.1f KB (budget %d KB)\n' "$total" "$(echo "$total/1000" | bc -l)" "$3"
}

bench_bundle() {
  say "bundle: the sign-in page's first download (brotli, as served), and its LCP on a phone"
  start_server 3201 target/bench-bundle
  local base=http://127.0.0.1:3201 cookie
  page_download "$base" /inloggen 150
  echo "  Lighthouse, mobile profile, on the sign-in page (budget: LCP 2.0 s)"
  (cd end2end && node bench/lighthouse.mjs "$base/inloggen" 5)
  say "bundle: signed in, Lopende aanvragen opened with a cold cache (portal bundle, chunk, data)"
  cookie=$(sign_in "$base")
  page_download "$base" /beheer/lopende-aanvragen 0 "$cookie"
  (cd end2end && LIGHTHOUSE_COOKIE="$cookie" node bench/lighthouse.mjs "$base/beheer/lopende-aanvragen" 5)
  stop_last
}

# Submits an application for one employed new user of Bakkerij De Vries and prints the
# personal link from the invitation e-mail.
invitation_link() { # base
  local base=$1 cookie org
  cookie=$(sign_in "$base")
  org=$(curl -fs -H 'Content-Type: application/json' -H "Origin: $base" -H "Cookie: $cookie" \
    -d '{}' "$base/api/wizard/start" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(o["id"] for o in d["organizations"] if o["name"].startswith("Bakkerij")))')
  python3 - "$org" > target/bench-accept-draft.json <<'PY'
import json, sys, uuid
draft = {"step": 6, "org_id": sys.argv[1], "level": "EH3", "kvk": "34123456", "restrict_to_branch": False,
         "branch_id": None, "with_authorizations": True, "all_services": False,
         "users": [{"first_name": "Sanne", "infix": "de", "last_name": "Vries", "email": "sanne@example.nl",
                    "mobile": "06-12121212", "date_of_birth": "01-01-1990", "employed": True, "language": "nl"}],
         "services": ["547b2d6d-b101-438d-9b26-292199e30a0b"], "validity_years": 3,
         "submission_key": str(uuid.uuid4())}
print(json.dumps({"draft": draft, "terms_version": 1, "agreed": True}))
PY
  curl -fs -o /dev/null -H 'Content-Type: application/json' -H "Origin: $base" -H "Cookie: $cookie" \
    --data-binary @target/bench-accept-draft.json "$base/api/wizard/submit"
  curl -fs -H 'Content-Type: application/json' -H "Origin: $base" -d '{}' "$base/api/dev/mailbox" |
    grep -o "$base/uitnodiging/[A-Za-z0-9_-]*" | head -1
}

bench_accept() {
  say "accept: the acceptance page on a phone: first download, and Lighthouse mobile (median of 5)"
  rm -rf target/bench-accept
  start_server 3207 target/bench-accept
  local base=http://127.0.0.1:3207 link
  page_download "$base" /uitnodiging/any-token 150
  link=$(invitation_link "$base")
  echo "  Lighthouse, mobile profile, on a fresh invitation link (budget: LCP 2.0 s, CLS 0.02)"
  (cd end2end && node bench/lighthouse.mjs "$link" 5)
  stop_last
}

bench_start() {
  say "start: server binary with an initialised embedded database to its first answer"
  local dir=target/bench-start
  start_server 3202 "$dir"   # initialises the cluster and loads the demo data once
  stop_last
  for i in 1 2 3 4 5; do
    python3 - "$server" "$dir" <<'PY'
import os, subprocess, sys, time, urllib.request
server, data = sys.argv[1], sys.argv[2]
env = dict(os.environ, MACHTIG_LISTEN="127.0.0.1:3202", MACHTIG_PUBLIC_URL="http://127.0.0.1:3202",
           MACHTIG_DATA_DIR=data)
t0 = time.perf_counter()
p = subprocess.Popen([server], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    try:
        urllib.request.urlopen("http://127.0.0.1:3202/healthz", timeout=1).read()
        break
    except Exception:
        time.sleep(0.005)
elapsed = time.perf_counter() - t0
p.terminate(); p.wait()
print(f"  run: {elapsed * 1000:.0f} ms to the first answered request (budget 2000 ms)")
PY
  done
}

wrk_run() { # label url body
  local out
  out=$(BODY="$3" wrk -t2 -c16 -d20s --latency -s scripts/bench-post.lua "$2")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local errors
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
  printf '  %-34s %9s req/s   p50 %8s   p99 %8s %s\n' "$1" "$rps" "$p50" "$p99" "$errors" >&2
  echo "$rps"
}

# Signs in as the demo manager (password, then the SMS code from the development mailbox) and
# prints the session cookie.
sign_in() { # base URL
  local base=$1 step challenge code cookie
  step=$(curl -fs -H 'Content-Type: application/json' -H "Origin: $base" \
    -d '{"username":"demo.beheerder","password":"Welkom-Machtig1"}' "$base/api/auth/sign_in")
  challenge=$(sed -n 's/.*"challenge":"\([^"]*\)".*/\1/p' <<<"$step")
  sleep 0.3
  code=$(curl -fs -H 'Content-Type: application/json' -H "Origin: $base" -d '{}' \
    "$base/api/dev/mailbox" | grep -o 'inlogcode voor [^"]* is [0-9]\{6\}' | head -1 | grep -o '[0-9]\{6\}')
  cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: $base" \
    -d "{\"challenge\":\"$challenge\",\"code\":\"$code\"}" "$base/api/auth/verify_code" |
    grep -i '^set-cookie: machtig_session=' | sed 's/^[^:]*: //; s/;.*//')
  [ -n "$cookie" ] || { echo "sign-in for the benchmark failed" >&2; exit 1; }
  echo "$cookie"
}

# A CSV file of N new users as a Dutch spreadsheet saves it (semicolons, CRLF, BOM).
users_csv() { # count file
  python3 - "$1" "$2" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8-sig", newline="") as f:
    f.write("voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst\r\n")
    for i in range(n):
        f.write(f"Voornaam{i};van;Achternaam{i};bench{i}@example.nl;06{30000000 + i};{1 + i % 28:02d}-{1 + i % 12:02d}-{1960 + i % 40};{'ja' if i % 3 else 'nee'}\r\n")
PY
}

bench_csv() {
  say "csv: preview of a 10,000-row file in Chromium, upload to the first page of rows"
  start_server 3205 target/bench-csv
  users_csv 10000 target/bench-users.csv
  (cd end2end && node bench/csv-preview.mjs http://127.0.0.1:3205 ../target/bench-users.csv 5)
  stop_last
}

bench_submit() {
  say "submit: an application of 10,000 users (users, invitations, outbox rows in one transaction)"
  rm -rf target/bench-submit
  start_server 3206 target/bench-submit RUST_LOG=info,sqlx=warn
  local base=http://127.0.0.1:3206 cookie org draft
  cookie=$(sign_in "$base")
  for run in 1 2 3; do
    org=$(curl -fs -H 'Content-Type: application/json' -H "Origin: $base" -H "Cookie: $cookie" \
      -d '{}' "$base/api/wizard/start" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(o["id"] for o in d["organizations"] if o["name"].startswith("Bakkerij")))')
    python3 - "$org" "$run" > target/bench-draft.json <<'PY'
import json, sys, uuid
org, run = sys.argv[1], int(sys.argv[2])
users = [{"first_name": f"Voornaam{i}", "infix": "", "last_name": f"Achternaam{i}",
          "email": f"run{run}.user{i}@example.nl", "mobile": f"06{run}{i:07d}",
          "date_of_birth": "01-01-1980", "employed": i % 2 == 0, "language": "nl"} for i in range(10000)]
draft = {"step": 6, "org_id": org, "level": "EH3", "kvk": "34123456", "restrict_to_branch": False,
         "branch_id": None, "users": users, "with_authorizations": True, "all_services": False,
         "services": ["547b2d6d-b101-438d-9b26-292199e30a0b"], "validity_years": 3,
         "submission_key": str(uuid.uuid4())}
print(json.dumps({"draft": draft, "terms_version": 1, "agreed": True}))
PY
    curl -fs -o /dev/null -w "  run $run: %{time_total} s for the whole request (budget 2 s of server time)\n" \
      -H 'Content-Type: application/json' -H "Origin: $base" -H "Cookie: $cookie" \
      --data-binary @target/bench-draft.json "$base/api/wizard/submit"
  done
  grep -o 'application submitted.*' "target/bench-3206.log" | tail -3 || true
  stop_last
}

bench_users() {
  say "users: users list at 100,000 users, 16 connections, 20 s per run"
  local dir=target/bench-users
  if [ ! -f "$dir/.seeded" ]; then
    rm -rf "$dir"
    MACHTIG_DATA_DIR=$dir "$server" seed-users 100000
    touch "$dir/.seeded"
  fi
  start_server 3203 "$dir"
  local base=http://127.0.0.1:3203 cookie
  export ORIGIN=$base
  cookie=$(sign_in "$base")
  export COOKIE=$cookie
  local count
  count=$(curl -fs -H 'Content-Type: application/json' -H "Origin: $base" -H "Cookie: $cookie" \
    -d '{"search":"","after":null}' "$base/api/users/list" | grep -o '"username"' | wc -l)
  echo "  signed in; the first page holds $count users"
  local first search
  first=$(wrk_run "portal, first page" "$base/api/users/list" '{"search":"","after":null}')
  search=$(wrk_run "portal, search \"jan\"" "$base/api/users/list" '{"search":"jan","after":null}')
  stop_last

  MACHTIG_LISTEN=127.0.0.1:3204 MACHTIG_DATA_DIR=$dir "$server" bench-baseline > target/bench-3204.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do grep -q 'baseline listens' target/bench-3204.log && break; sleep 0.1; done
  local bfirst bsearch
  bfirst=$(wrk_run "bare axum + sqlx, first page" "http://127.0.0.1:3204/list" '{"search":"","after":null}')
  bsearch=$(wrk_run "bare axum + sqlx, search \"jan\"" "http://127.0.0.1:3204/list" '{"search":"jan","after":null}')
  stop_last
  printf '  ratio portal / bare: first page %.2f, search %.2f (goal at least 0.6)\n' \
    "$(echo "$first/$bfirst" | bc -l)" "$(echo "$search/$bsearch" | bc -l)"
}

bench_authorizations() {
  say "authorizations: Machtigingen at 1,000,000 authorizations"
  local dir=target/bench-authorizations
  # The expiry run at the end changes the data: every run seeds afresh (about 40 s).
  rm -rf "$dir"
  MACHTIG_DATA_DIR=$dir "$server" seed-authorizations 1000000
  start_server 3208 "$dir" MACHTIG_WORKERS=false
  local base=http://127.0.0.1:3208 cookie
  export ORIGIN=$base
  cookie=$(sign_in "$base")
  export COOKIE=$cookie
  local opts org service
  opts=$(curl -fs -H 'Content-Type: application/json' -H "Origin: $base" -H "Cookie: $cookie" \
    -d '{}' "$base/api/authorizations/options")
  org=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(next(o["id"] for o in d["organizations"] if o["name"].startswith("Berg")))' "$opts")
  service=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["services"][0]["id"])' "$opts")
  local zero=00000000-0000-0000-0000-000000000000
  local -a labels=(
    "first page" "deep (from \"peters\")" "near the end (\"vermeulen\")" "organization"
    "user \"sara\"" "user \"vermeulen\"" "user \"vermeulen sara\"" "user \"de\"" "service" "level EH2"
    "expired (inactive shown)" "ending within 30 days")
  local -a bodies=(
    '{"filter":{},"after":null}'
    "{\"filter\":{},\"after\":{\"sort_key\":\"peters\",\"user_id\":\"$zero\",\"id\":\"$zero\"}}"
    "{\"filter\":{},\"after\":{\"sort_key\":\"vermeulen\",\"user_id\":\"$zero\",\"id\":\"$zero\"}}"
    "{\"filter\":{\"org_id\":\"$org\"},\"after\":null}"
    '{"filter":{"user":"sara"},"after":null}'
    '{"filter":{"user":"vermeulen"},"after":null}'
    '{"filter":{"user":"vermeulen sara"},"after":null}'
    '{"filter":{"user":"de"},"after":null}'
    "{\"filter\":{\"service\":\"$service\"},\"after\":null}"
    '{"filter":{"level":"EH2"},"after":null}'
    '{"filter":{"include_inactive":true,"state":"expired"},"after":null}'
    '{"filter":{"ending_within_days":30},"after":null}')
  local i portal=() bare=()
  echo "  wrk, 16 connections, 20 s each: the portal's server function"
  for i in "${!labels[@]}"; do
    portal+=("$(wrk_run "${labels[$i]}" "$base/api/authorizations/list" "${bodies[$i]}")")
  done

  say "authorizations: export, renewal"
  local pid
  pid=$(pgrep -f "target/release/server" -n)
  local hwm_before
  hwm_before=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
  local t0 t1
  t0=$(date +%s.%N)
  # head stops reading after 100,000 rows and the header; curl then ends with a broken pipe.
  { curl -fsN -H "Cookie: $cookie" "$base/export/machtigingen.csv?org_id=$org" || true; } |
    head -n 100001 | wc -l > target/bench-export-rows
  t1=$(date +%s.%N)
  printf '  export, the first %d lines (100,000 rows and the header) streamed: %.2f s (budget 3 s)\n' \
    "$(cat target/bench-export-rows)" "$(echo "$t1 - $t0" | bc -l)"
  curl -fsN -o target/bench-export.csv -w '  export, the whole organization: %{size_download} bytes in %{time_total} s, ' \
    -H "Cookie: $cookie" "$base/export/machtigingen.csv?org_id=$org"
  echo "$(($(wc -l < target/bench-export.csv) - 1)) rows"
  printf '  server peak memory: %d MiB before the exports, %d MiB after\n' \
    "$((hwm_before / 1024))" "$(($(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status") / 1024))"
  rm -f target/bench-export.csv target/bench-export-rows
  # A thousand active ones (level EH2), page by page as the browser would collect them.
  python3 - "$base" "$cookie" > target/bench-renew.json <<'PY'
import json, sys, urllib.request
base, cookie = sys.argv[1], sys.argv[2]
def call(path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Origin": base, "Cookie": cookie})
    return json.load(urllib.request.urlopen(req))
ids, after = [], None
while len(ids) < 1000:
    page = call("/api/authorizations/list", {"filter": {"level": "EH2", "state": "active"}, "after": after})
    ids += [r["id"] for r in page["rows"] if not r["is_admin"]]
    after = page["next"]
ids = ids[:1000]
quote = call("/api/authorizations/quote_renewal", {"ids": ids, "years": 1})
print(json.dumps({"ids": ids, "years": 1, "total_cents": quote["total_cents"]}))
PY
  curl -fs -o /dev/null -w "  renewing 1,000 in one order: %{time_total} s for the whole request (budget 1 s)\n" \
    -H 'Content-Type: application/json' -H "Origin: $base" -H "Cookie: $cookie" \
    --data-binary @target/bench-renew.json "$base/api/authorizations/renew"
  rm -f target/bench-renew.json
  stop_last

  MACHTIG_LISTEN=127.0.0.1:3204 MACHTIG_DATA_DIR=$dir "$server" bench-baseline > target/bench-3204.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do grep -q 'baseline listens' target/bench-3204.log && break; sleep 0.1; done
  echo "  wrk, 16 connections, 20 s each: bare axum + sqlx, the same query"
  unset COOKIE
  for i in "${!labels[@]}"; do
    bare+=("$(wrk_run "bare: ${labels[$i]}" "http://127.0.0.1:3204/authorizations" "${bodies[$i]}")")
  done
  stop_last
  for i in "${!labels[@]}"; do
    printf '  ratio portal / bare, %-32s %.2f (goal at least 0.6)\n' "${labels[$i]}:" \
      "$(echo "${portal[$i]}/${bare[$i]}" | bc -l)"
  done

  say "authorizations: the expiry job"
  MACHTIG_DATA_DIR=$dir "$server" run-expiry
  MACHTIG_DATA_DIR=$dir "$server" run-expiry
}

bench_flood() {
  say "flood: 500 concurrent wrong sign-ins for 20 s, while a manager uses the portal"
  rm -rf target/bench-flood
  # Behind a trusted proxy (loopback here), so every request can come from another address.
  start_server 3207 target/bench-flood MACHTIG_TRUSTED_PROXIES=127.0.0.1
  local base=http://127.0.0.1:3207 cookie pid
  cookie=$(sign_in "$base")
  pid=$(pgrep -f "target/release/server" -n)
  local rss_max=0
  ( while kill -0 "$pid" 2>/dev/null; do
      awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; sleep 0.1
    done > target/bench-flood-rss.txt ) &
  local sampler=$!
  # The manager meanwhile: the users list, five times a second, with its latency and status.
  ( end=$((SECONDS + 20))
    while [ $SECONDS -lt $end ]; do
      curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H 'Content-Type: application/json' \
        -H "Origin: $base" -H "Cookie: $cookie" -d '{"search":"","after":null}' "$base/api/users/list"
      sleep 0.2
    done > target/bench-flood-manager.txt ) &
  local manager=$!
  ORIGIN=$base wrk -t2 -c500 -d20s --timeout 10s --latency -s scripts/bench-flood.lua \
    "$base/api/auth/sign_in" | grep -E 'Requests/sec|answers by status|Socket errors|^ +(50|99)%'
  wait "$manager"
  rss_max=$(sort -n target/bench-flood-rss.txt | tail -1)
  kill "$sampler" 2>/dev/null || true
  printf '  server peak memory (RSS, sampled every 100 ms): %.0f MiB (budget 1024 MiB); VmHWM %s\n' \
    "$(echo "$rss_max/1024" | bc -l)" "$(awk '/^VmHWM:/ {print $2 " " $3}' "/proc/$pid/status")"
  python3 - target/bench-flood-manager.txt <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ok = [float(t) for c, t in rows if c == "200"]
ok.sort()
pct = lambda p: ok[min(len(ok) - 1, int(p * len(ok)))] * 1000 if ok else float("nan")
print(f"  the manager's users list meanwhile: {len(ok)} of {len(rows)} answered 200; "
      f"p50 {pct(0.5):.0f} ms, p99 {pct(0.99):.0f} ms, max {max(ok) * 1000 if ok else float('nan'):.0f} ms")
PY
  stop_last
}

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -m); $(date -u '+%Y-%m-%d %H:%M UTC')"
for w in "${what[@]}"; do "bench_$w"; done
