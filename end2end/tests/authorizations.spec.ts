import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createActiveUser, expectAccessible, signInAsManager } from './helpers';

test('a manager filters the authorizations, exports them and revokes one', async ({ page, request }) => {
  // A user of this test's own with one active authorization (the tax office, EH3).
  const user = await createActiveUser(request, 'Mara');
  const lastName = user.name.split(' ')[1];

  await signInAsManager(page);
  await page.getByRole('link', { name: 'Machtigingen' }).click();
  await expect(page.getByRole('heading', { name: 'Machtigingen', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Machtigingen · Mijn Machtig');
  const table = page.getByRole('table', { name: 'Machtigingen' });
  await expect(table).toBeVisible();
  await expectAccessible(page);

  // Filters: the user's name finds exactly their row; a level they do not hold finds nothing.
  await page.getByLabel('Gebruiker').fill(lastName);
  const rows = table.getByRole('row').filter({ hasText: lastName });
  await expect(rows).toHaveCount(1);
  await expect(table.getByRole('row')).toHaveCount(2);
  const row = rows.first();
  await expect(row).toContainText('Bakkerij De Vries B.V.');
  await expect(row).toContainText('EH3');
  await expect(row).toContainText('Actief');
  await expect(row.getByRole('cell').nth(6)).toHaveText(/^\d{2}-\d{2}-\d{4}$/);
  await page.getByLabel('Niveau').selectOption('EH4');
  await expect(page.getByText('Geen machtigingen gevonden met deze filters.')).toBeVisible();
  await page.getByLabel('Niveau').selectOption('EH3');
  await expect(rows).toHaveCount(1);

  // The export holds what the filters show, as a Dutch spreadsheet opens it.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Exporteren (CSV)' }).click();
  const file = await readFile(await (await download).path(), 'utf-8');
  const lines = file.split('\r\n').filter((l) => l.length > 0);
  expect(lines[0]).toBe('\ufeffGebruiker;E-mailadres;Organisatie;Dienst;Beheerder;Niveau;Vestiging;Geldig van;Geldig tot;Status');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`${user.name};${user.email};Bakkerij De Vries B.V.;`);
  expect(lines[1]).toMatch(/;nee;EH3;;\d{2}-\d{2}-\d{4};\d{2}-\d{2}-\d{4};actief$/);

  // The trash can asks first and says what the user loses.
  await row.getByRole('button', { name: new RegExp(`^Intrekken: ${user.name} – `) }).click();
  const confirm = page.getByRole('group', { name: 'Machtiging intrekken?' });
  await expect(confirm).toContainText(`${user.name} kan dan direct niet meer namens Bakkerij De Vries B.V. gebruikmaken van`);
  await expectAccessible(page);
  await confirm.getByRole('button', { name: 'Ja, intrekken' }).click();
  await expect(page.getByText('De machtiging is ingetrokken.')).toBeVisible();
  await expect(page.getByText('Geen machtigingen gevonden met deze filters.')).toBeVisible();

  // Inactive ones on request: revoked, and no trash can any more.
  await page.getByLabel('Toon ook inactieve machtigingen').check();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Ingetrokken');
  await expect(rows.first().getByRole('button', { name: /^Intrekken/ })).toHaveCount(0);
});

test('the authorizations page works in English', async ({ page }) => {
  await signInAsManager(page);
  await page.getByRole('button', { name: 'EN English' }).click();
  await page.getByRole('link', { name: 'Authorizations' }).click();
  await expect(page.getByRole('heading', { name: 'Authorizations', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Authorizations' })).toBeVisible();
  await expect(page.getByLabel('Show inactive authorizations too')).toBeVisible();
  await page.getByRole('button', { name: 'NL Nederlands' }).click();
});
