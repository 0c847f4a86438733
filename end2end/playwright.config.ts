import { defineConfig, devices } from '@playwright/test';
import { execSync } from 'node:child_process';

// Debian's Chromium: Playwright cannot download its own browser here.
const chromium = process.env.CHROMIUM_PATH || execSync('command -v chromium').toString().trim();
const launchOptions = {
  executablePath: chromium,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
const port = 3100;
export const baseURL = `http://127.0.0.1:${port}`;
export const brandURL = `http://127.0.0.1:${port + 1}`;

export default defineConfig({
  testDir: './tests',
  // One server, one database: tests share the demo manager (its wizard draft, its SMS codes)
  // and read "the newest application", so they run one at a time. Each makes its own data, so
  // they run in any order and again on the same data dir.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  // The longest flows (the add-users wizard from first field to its mails, 29 s on a 2-core
  // machine) came within a second of Playwright's default 30 s and once went over in CI:
  // a test's time limit is there to catch a hang, not to measure speed.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: { baseURL, launchOptions, trace: 'retain-on-failure' },
  projects: [
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], launchOptions },
      testIgnore: /(acceptance|phone-layout)\.spec\.ts/,
    },
    { name: 'phone', use: { ...devices['Pixel 7'], launchOptions }, testMatch: /(sign-in|acceptance)\.spec\.ts/ },
    // An iPhone's screen, touch and user agent, in Chromium (the only browser on these machines).
    {
      name: 'iphone',
      use: { ...devices['iPhone 13'], browserName: 'chromium', launchOptions },
      testMatch: /acceptance\.spec\.ts/,
    },
    // The smallest common phone (360 CSS px): no page may scroll sideways there.
    {
      name: 'narrow',
      use: {
        viewport: { width: 360, height: 640 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        launchOptions,
      },
      testMatch: /phone-layout\.spec\.ts/,
    },
  ],
  webServer: [
    {
      command: '../target/release/server',
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      // SIGTERM, so the server stops its embedded PostgreSQL (a SIGKILL would orphan it).
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      timeout: 120_000,
      stdout: 'pipe',
      env: {
        MACHTIG_LISTEN: `127.0.0.1:${port}`,
        MACHTIG_PUBLIC_URL: baseURL,
        // Its own embedded database, even when the environment names another (scripts/test.sh
        // exports DATABASE_URL for the service tests).
        DATABASE_URL: '',
        MACHTIG_DATA_DIR: '../target/e2e-data',
        LEPTOS_SITE_ROOT: '../target/site',
        MACHTIG_ENV: 'development',
        // Every test client comes from 127.0.0.1, as all clients do behind a proxy, so the
        // per-address lock (50 failures in 15 minutes) would lock every test after a few runs on
        // the same data. The accounts' own lock stays as it is (lockout.spec.ts); the
        // per-address rule has its own service test.
        // The demo manager signs in (and gets a code) in most tests.
        MACHTIG_SMS_CODE_LIMIT: '100000',
        MACHTIG_IP_LOCKOUT_THRESHOLD: '10000',
        RUST_LOG: 'warn',
      },
    },
    // A second portal with another broker's brand (brand.spec.ts): its name wherever the
    // product's would be, its colour and its logo.
    {
      command: '../target/release/server',
      url: `${brandURL}/healthz`,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      timeout: 120_000,
      env: {
        MACHTIG_LISTEN: `127.0.0.1:${port + 1}`,
        MACHTIG_PUBLIC_URL: brandURL,
        DATABASE_URL: '',
        MACHTIG_DATA_DIR: '../target/e2e-brand-data',
        LEPTOS_SITE_ROOT: '../target/site',
        MACHTIG_ENV: 'development',
        MACHTIG_BRAND_NAME: 'Sleutelhuis',
        MACHTIG_BRAND_COLOR: '#7a1f5c',
        MACHTIG_BRAND_LOGO: 'fixtures/brand-logo.svg',
        MACHTIG_HELPDESK_PHONE: '020 123 4567',
        RUST_LOG: 'warn',
      },
    },
  ],
});
