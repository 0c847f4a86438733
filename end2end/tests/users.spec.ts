import { test, expect } from '@playwright/test';
import { signInAsManager } from './helpers';

test('the users list pages forward and back', async ({ page }) => {
  await signInAsManager(page);
  const rows = page.getByRole('table', { name: 'Gebruikers' }).getByRole('row');
  await expect(page.getByText('Pagina 1')).toBeVisible();
  await expect(rows).toHaveCount(26); // header + 25
  const firstEmail = rows.nth(1).getByRole('cell').nth(2);
  const firstOnPage1 = await firstEmail.innerText();
  await expect(page.getByRole('button', { name: 'Vorige' })).toBeDisabled();

  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByText('Pagina 2')).toBeVisible();
  await expect(firstEmail).not.toHaveText(firstOnPage1);
  await expect(page.getByRole('button', { name: 'Volgende' })).toBeDisabled();

  await page.getByRole('button', { name: 'Vorige' }).click();
  await expect(page.getByText('Pagina 1')).toBeVisible();
  await expect(firstEmail).toHaveText(firstOnPage1);
});

test('searching narrows the list and never shows another organization', async ({ page }) => {
  await signInAsManager(page);
  await page.getByLabel('Zoeken').fill('pieter van');
  const table = page.getByRole('table', { name: 'Gebruikers' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('cell', { name: 'demo.gebruiker' })).toBeVisible();

  await page.getByLabel('Zoeken').fill('noord.');
  await expect(page.getByText('Geen gebruikers gevonden.')).toBeVisible();
  await expect(page.getByText('Zorggroep Noord')).toHaveCount(0);
});
