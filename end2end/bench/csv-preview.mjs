// Benchmark (not a test): time from choosing a 10,000-row CSV file in the wizard to the
// preview's first page of rows, in Chromium, signed in as the demo manager.
//   node bench/csv-preview.mjs <base URL> <csv file> [runs]
import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';

const [base, file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const browser = await chromium.launch({
  executablePath: execSync('command -v chromium').toString().trim(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
await page.goto('/inloggen');
await page.getByLabel('Gebruikersnaam').fill('demo.beheerder');
await page.getByLabel('Wachtwoord').fill('Welkom-Machtig1');
await page.getByRole('button', { name: 'Inloggen' }).click();
await page.getByLabel('Sms-code').waitFor();
const mailbox = await context.newPage();
await mailbox.goto('/dev/mailbox');
const sms = mailbox.getByRole('article', { name: 'Sms +31612345678' }).first();
await sms.waitFor();
const code = (await sms.innerText()).match(/#(\d{6})/)[1];
await mailbox.close();
await page.getByLabel('Sms-code').fill(code);
await page.getByRole('button', { name: 'Bevestigen' }).click();
await page.getByRole('heading', { name: 'Gebruikers', level: 1 }).waitFor();

const times = [];
for (let i = 0; i < runs; i++) {
  await page.goto('/beheer/gebruikers/toevoegen');
  await page.getByRole('button', { name: 'Opnieuw beginnen (alles wissen)' }).click();
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByRole('radio', { name: 'EH3' }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('KvK-nummer').fill('34123456');
  await page.getByRole('button', { name: 'Controleren' }).click();
  await page.getByText('Gevonden in het Handelsregister').waitFor();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('button', { name: 'Volgende' }).click();
  const input = page.getByLabel('CSV-bestand uploaden');
  const started = Date.now();
  await input.setInputFiles(file);
  await page.getByRole('table', { name: 'Voorbeeld van het bestand' }).getByRole('row').nth(50).waitFor({ timeout: 60_000 });
  times.push(Date.now() - started);
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`  csv preview, 10,000 rows, upload to first page: runs ${times.join(', ')} ms; median ${times[Math.floor(times.length / 2)]} ms (budget 2000 ms)`);
