// Takes screenshots of every page at desktop and phone size, for people to look at:
//   node screenshots.mjs [base URL] [output folder]
// Signs in as the demo manager with the code from the development mailbox.
import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';

const base = process.argv[2] || 'http://127.0.0.1:3000';
const out = process.argv[3] || '../docs/screenshots';
const browser = await chromium.launch({
  executablePath: execSync('command -v chromium').toString().trim(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 360, height: 640 }]]) {
  const context = await browser.newContext({ viewport, baseURL: base });
  const page = await context.newPage();
  const shot = (file) => page.screenshot({ path: `${out}/${name}-${file}.png`, fullPage: true });
  await page.goto('/inloggen');
  await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
  await shot('sign-in');
  await page.getByLabel('Gebruikersnaam').fill('demo.beheerder');
  await page.getByLabel('Wachtwoord').fill('Welkom-Machtig1');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Sms-code').waitFor();
  await shot('code');
  const mailbox = await context.newPage();
  await mailbox.goto('/dev/mailbox');
  const sms = mailbox.getByRole('article', { name: 'Sms +31612345678' }).first();
  await sms.waitFor();
  const code = (await sms.innerText()).match(/inlogcode is (\d{6})/)[1];
  await mailbox.screenshot({ path: `${out}/${name}-mailbox.png`, fullPage: true });
  await mailbox.close();
  await page.getByLabel('Sms-code').fill(code);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByRole('table').waitFor();
  await shot('users');
  await page.goto('/mijn-account');
  await page.getByRole('heading', { name: 'Mijn account' }).waitFor();
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('Welkom1');
  await shot('account');
  await context.close();
}
await browser.close();
