// Measures the development loop (scripts/dev.sh): the time from saving a UI file to the open
// page showing the change after its automatic reload. Usage, with scripts/dev.sh running:
//   node end2end/measure-reload.mjs <file to touch> <page path>
// The file gets a comment line appended and removed again afterwards.
import { chromium } from '@playwright/test';
import fs from 'node:fs';

const [file, path = '/inloggen'] = process.argv.slice(2);
const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
await page.goto(base + path);
await page.waitForLoadState('networkidle');
const original = fs.readFileSync(file, 'utf8');
const reloaded = page.waitForEvent('load', { timeout: 600_000 });
const saved = Date.now();
fs.writeFileSync(file, original + `\n// measure-reload ${saved}\n`);
try {
  await reloaded;
  await page.waitForLoadState('networkidle');
  console.log(`${file}: saved to reloaded page in ${((Date.now() - saved) / 1000).toFixed(1)} s`);
} finally {
  fs.writeFileSync(file, original);
  await browser.close();
}
