import { test, expect } from '@playwright/test';
import { MANAGER, USER, codeFromMailbox, signInAsManager, signInWithPassword } from './helpers';

test('the manager signs in with the SMS code from the mailbox and sees their users', async ({ page }) => {
  await signInAsManager(page);
  await expect(page).toHaveURL(/\/beheer\/gebruikers$/);
  await expect(page.getByRole('table', { name: 'Gebruikers' })).toBeVisible();
  // Other tests add users, so find the manager by searching rather than on page 1.
  await page.getByLabel('Zoeken').fill('demo.beheerder');
  await expect(page.getByRole('cell', { name: 'demo.beheerder' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Gebruikers' })).toBeVisible();
});

test('a wrong password is refused with a clear message and no code is sent', async ({ page }) => {
  await signInWithPassword(page, USER.username, 'Verkeerd-wachtwoord1');
  await expect(page.getByRole('alert')).toHaveText('De gebruikersnaam of het wachtwoord is onjuist.');
  await expect(page.getByLabel('Gebruikersnaam')).toHaveValue(USER.username);
  await expect(page).toHaveURL(/\/inloggen$/);
});

test('an unknown username gets the same answer as a wrong password', async ({ page }) => {
  await signInWithPassword(page, 'bestaat.niet', 'Verkeerd-wachtwoord1');
  await expect(page.getByRole('alert')).toHaveText('De gebruikersnaam of het wachtwoord is onjuist.');
});

test('a wrong SMS code says how many tries are left', async ({ page }) => {
  await signInWithPassword(page, MANAGER.username, MANAGER.password);
  const code = await codeFromMailbox(page, MANAGER.mobile);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Sms-code').fill(wrong);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await expect(page.getByRole('alert')).toHaveText('De code is onjuist. Nog 4 poging(en).');
  await page.getByLabel('Sms-code').fill('12');
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await expect(page.getByRole('alert')).toHaveText('Een code bestaat uit 6 cijfers.');
  await page.getByLabel('Sms-code').fill(code);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 1 })).toBeVisible();
});

test('an EH2 user signs in with the password alone and lands on Mijn account', async ({ page }) => {
  await signInWithPassword(page, USER.username, USER.password);
  await expect(page.getByRole('heading', { name: 'Mijn account' })).toBeVisible();
  // Not a manager: no Beheer in the navigation.
  await expect(page.getByRole('link', { name: 'Gebruikers' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
  await page.goto('/mijn-account');
  await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
});
