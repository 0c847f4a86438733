import { test, expect } from '@playwright/test';
import { applyFor, signInAsManager, unique } from './helpers';

test('the users list pages forward and back through the users found', async ({ page, request }) => {
  // 27 invited users of this test's own, with one last name no one else has: 25 on page 1, 2 on
  // page 2, whatever other tests and earlier runs added.
  const { stamp } = unique();
  const lastName = `Bladzijde-${stamp}`;
  await applyFor(
    request,
    Array.from({ length: 27 }, (_, i) => {
      const { stamp: own, mobile } = unique();
      return { first: `Pim${i + 1}`, last: lastName, email: `pim.${own}@example.nl`, mobile, employed: true };
    }),
  );

  await signInAsManager(page);
  await page.getByLabel('Zoeken').fill(lastName);
  const rows = page.getByRole('table', { name: 'Gebruikers' }).getByRole('row');
  const found = rows.filter({ hasText: lastName });
  // Only once the answer to the search is shown: 25 of ours and the header, nothing else.
  await expect(found).toHaveCount(25);
  await expect(rows).toHaveCount(26);
  await expect(page.getByText('Pagina 1')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Vorige' })).toBeDisabled();
  // Each user's status and number of authorizations, the number right-aligned.
  const firstCells = found.first().getByRole('cell');
  await expect(firstCells.nth(0)).toHaveText('Uitgenodigd');
  await expect(firstCells.nth(1)).toHaveText(/^\d+$/);
  await expect(firstCells.nth(1)).toHaveCSS('text-align', 'right');
  await expect(page.getByRole('navigation', { name: "Pagina's, nu pagina 1" })).toBeVisible();
  const firstEmail = found.first().getByRole('cell').nth(3);
  const firstOnPage1 = await firstEmail.innerText();

  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByText('Pagina 2')).toBeVisible();
  await expect(page.getByRole('navigation', { name: "Pagina's, nu pagina 2" })).toBeVisible();
  await expect(found).toHaveCount(2);
  await expect(rows).toHaveCount(3);
  await expect(firstEmail).not.toHaveText(firstOnPage1);
  await expect(page.getByRole('button', { name: 'Volgende' })).toBeDisabled();

  await page.getByRole('button', { name: 'Vorige' }).click();
  await expect(page.getByText('Pagina 1')).toBeVisible();
  await expect(found).toHaveCount(25);
  await expect(firstEmail).toHaveText(firstOnPage1);
  await expect(page.getByRole('button', { name: 'Vorige' })).toBeDisabled();
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

test('the search waits until typing pauses, and says it is searching', async ({ page }) => {
  await signInAsManager(page);
  await expect(page.getByRole('table', { name: 'Gebruikers' })).toBeVisible();
  const searches: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/users/list')) searches.push(JSON.parse(r.postData() ?? '{}').search);
  });
  const field = page.getByLabel('Zoeken');
  await field.pressSequentially('pieter van', { delay: 40 });
  await expect(page.getByRole('status').filter({ hasText: 'Bezig met zoeken…' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Gebruikers' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('status').filter({ hasText: 'Bezig met zoeken…' })).toHaveCount(0);
  // One question for the whole term, none for "p", "pi", "pie", ...
  expect(searches).toEqual(['pieter van']);
});
