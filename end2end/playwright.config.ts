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

export default defineConfig({
  testDir: './tests',
  // One server, one database: tests that share demo accounts must not race.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: { baseURL, launchOptions, trace: 'retain-on-failure' },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions }, testIgnore: /(acceptance|lockout)\.spec\.ts/ },
    { name: 'phone', use: { ...devices['Pixel 7'], launchOptions }, testMatch: /(sign-in|acceptance)\.spec\.ts/ },
    // An iPhone's screen, touch and user agent, in Chromium (the only browser on these machines).
    {
      name: 'iphone',
      use: { ...devices['iPhone 13'], browserName: 'chromium', launchOptions },
      testMatch: /acceptance\.spec\.ts/,
    },
    // Locks the operator's account for 15 minutes: after every test that signs the operator in.
    {
      name: 'lockout',
      use: { ...devices['Desktop Chrome'], launchOptions },
      testMatch: /lockout\.spec\.ts/,
      dependencies: ['desktop', 'phone', 'iphone'],
    },
  ],
  webServer: {
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
      RUST_LOG: 'warn',
    },
  },
});
