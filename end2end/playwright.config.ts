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
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions }, testIgnore: /acceptance\.spec\.ts/ },
    { name: 'phone', use: { ...devices['Pixel 7'], launchOptions }, testMatch: /(sign-in|acceptance)\.spec\.ts/ },
    // An iPhone's screen, touch and user agent, in Chromium (the only browser on these machines).
    {
      name: 'iphone',
      use: { ...devices['iPhone 13'], browserName: 'chromium', launchOptions },
      testMatch: /acceptance\.spec\.ts/,
    },
  ],
  webServer: {
    command: '../target/release/server',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      MACHTIG_LISTEN: `127.0.0.1:${port}`,
      MACHTIG_PUBLIC_URL: baseURL,
      MACHTIG_DATA_DIR: '../target/e2e-data',
      LEPTOS_SITE_ROOT: '../target/site',
      MACHTIG_ENV: 'development',
      RUST_LOG: 'warn',
    },
  },
});
