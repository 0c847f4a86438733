// Benchmark (not a test): Largest Contentful Paint and Cumulative Layout Shift of one page,
// measured by Lighthouse in Debian's Chromium, median of several cold-cache runs.
//   [LIGHTHOUSE_COOKIE='name=value'] node bench/lighthouse.mjs <url> [runs=5]
// Prints per run LCP (ms), CLS and the bytes transferred, then the medians, then a
// machine-readable last line:
//   RESULT lcp_ms=1234 cls=0.001 bytes=123456 runs=5 retried=0
// LIGHTHOUSE_COOKIE is sent with every request of the page (a signed-in page: the session).
// No budgets: it exits non-zero only when Lighthouse itself fails (or the arguments are wrong).
//
// Settings: Lighthouse's default mobile profile, spelled out below so that a Lighthouse upgrade
// cannot change them silently:
//   - performance category only; formFactor 'mobile';
//   - throttlingMethod 'simulate' (Lantern: the page loads unthrottled and LCP is simulated),
//     throttling = Lighthouse's mobileSlow4G ("slow 4G"): rttMs 150, throughputKbps 1638.4
//     (1.6 Mbps), cpuSlowdownMultiplier 4; the devtools-only fields as Lighthouse has them
//     (requestLatencyMs 562.5, downloadThroughputKbps 1474.56, uploadThroughputKbps 675),
//     which 'simulate' does not use;
//   - screenEmulation of Lighthouse's default device, a moto g power: 412x823 CSS px,
//     deviceScaleFactor 1.75, mobile; Lighthouse's default mobile user agent.
//   - Every run launches Chromium with a new, empty profile directory (cold HTTP cache), removed
//     afterwards; Lighthouse also resets the origin's storage before loading.
// Chromium: $CHROME_PATH, else /usr/bin/chromium, with --headless=new --no-sandbox (root here).
import lighthouse from 'lighthouse';
import { launch } from 'chrome-launcher';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const [url, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
if (!url || !/^https?:\/\//.test(url) || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: node bench/lighthouse.mjs <url> [runs=5]');
  process.exit(2);
}
const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';

const settings = {
  onlyCategories: ['performance'],
  formFactor: 'mobile',
  throttlingMethod: 'simulate',
  throttling: {
    rttMs: 150,
    throughputKbps: 1.6 * 1024,
    cpuSlowdownMultiplier: 4,
    requestLatencyMs: 150 * 3.75,
    downloadThroughputKbps: 1.6 * 1024 * 0.9,
    uploadThroughputKbps: 750 * 0.9,
  },
  screenEmulation: { mobile: true, width: 412, height: 823, deviceScaleFactor: 1.75, disabled: false },
  emulatedUserAgent:
    'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Mobile Safari/537.36',
};
if (process.env.LIGHTHOUSE_COOKIE) settings.extraHeaders = { Cookie: process.env.LIGHTHOUSE_COOKIE };
const config = { extends: 'lighthouse:default', settings };

const lighthouseVersion = JSON.parse(
  readFileSync(new URL('../node_modules/lighthouse/package.json', import.meta.url), 'utf8'),
).version;
let chromiumVersion = '?';
try {
  chromiumVersion = execFileSync(chromePath, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
} catch {}
console.log(`Lighthouse ${lighthouseVersion}, ${chromiumVersion}`);
console.log(`${url}: ${runs} run(s), mobile, simulated slow 4G (150 ms RTT, 1.6 Mbps, 4x CPU)`);

let chrome = null;
let profile = null;
// Kills this run's Chromium (its whole process group) and removes its profile directory.
async function cleanup() {
  if (chrome) {
    const child = chrome.process;
    const exited =
      child && child.exitCode === null && child.signalCode === null
        ? new Promise((resolve) => {
            child.once('exit', resolve);
            setTimeout(resolve, 5000).unref();
          })
        : Promise.resolve();
    try {
      chrome.kill();
    } catch {}
    chrome = null;
    await exited;
  }
  if (profile) {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    profile = null;
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await cleanup();
    process.exit(130);
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Lighthouse sometimes aborts a run itself (NO_NAVSTART: it saw no navigation start, a known
// Lighthouse/Chromium race). Such a run says nothing about the page: it is run again, at most
// MAX_RETRIES times in all, and the retries are reported. Any other error fails the benchmark.
const RETRYABLE = new Set(['NO_NAVSTART', 'NO_FCP_FOR_NAVSTART']);
const MAX_RETRIES = 5;
let retried = 0;

/** One cold-cache Lighthouse run: its result, or the code of an abort to retry. */
async function measureOnce() {
  profile = mkdtempSync(join(tmpdir(), 'lighthouse-profile-'));
  chrome = await launch({
    chromePath,
    userDataDir: profile,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    logLevel: 'silent',
  });
  const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error' }, config);
  await cleanup();
  const lhr = result?.lhr;
  if (!lhr) throw new Error('Lighthouse returned no result');
  if (lhr.runtimeError) {
    if (RETRYABLE.has(lhr.runtimeError.code)) return { abort: lhr.runtimeError.code };
    throw new Error(`Lighthouse: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  }
  return { lhr };
}

const lcps = [];
const clss = [];
const bytes = [];
try {
  for (let i = 1; i <= runs; i++) {
    let measured = await measureOnce();
    while (measured.abort) {
      retried++;
      console.log(`run ${i}/${runs}: Lighthouse aborted (${measured.abort}); running it again (retry ${retried})`);
      if (retried > MAX_RETRIES) throw new Error(`Lighthouse aborted ${retried} times; giving up`);
      measured = await measureOnce();
    }
    const { lhr } = measured;
    const lcp = lhr.audits['largest-contentful-paint']?.numericValue;
    const cls = lhr.audits['cumulative-layout-shift']?.numericValue;
    if (typeof lcp !== 'number' || typeof cls !== 'number') {
      const why = [lhr.audits['largest-contentful-paint'], lhr.audits['cumulative-layout-shift']]
        .map((a) => a?.errorMessage)
        .filter(Boolean)
        .join('; ');
      throw new Error(`Lighthouse measured no LCP or CLS${why ? `: ${why}` : ''}`);
    }
    for (const warning of lhr.runWarnings ?? []) console.log(`  warning: ${warning}`);
    // Everything the page transferred: HTML, bundle, lazily loaded chunks, API answers.
    const weight = lhr.audits['total-byte-weight']?.numericValue ?? 0;
    lcps.push(lcp);
    clss.push(cls);
    bytes.push(weight);
    console.log(`run ${i}/${runs}: LCP ${Math.round(lcp)} ms, CLS ${cls.toFixed(3)}, ${Math.round(weight)} bytes`);
  }
} catch (error) {
  await cleanup();
  console.error(`lighthouse benchmark failed: ${error?.stack ?? error}`);
  process.exit(1);
}

const lcp = Math.round(median(lcps));
const cls = Number(median(clss).toFixed(3));
const weight = Math.round(median(bytes));
console.log(`median: LCP ${lcp} ms, CLS ${cls.toFixed(3)}, ${weight} bytes (${retried} aborted run(s) retried)`);
console.log(`RESULT lcp_ms=${lcp} cls=${cls.toFixed(3)} bytes=${weight} runs=${runs} retried=${retried}`);
