import { test, expect } from '@playwright/test';
import {
  MANAGER,
  USER,
  createActiveUser,
  expectAccessible,
  mailboxMark,
  signInAsManager,
  signInWithPassword,
  smsCodeSince,
  smsSince,
  unique,
} from './helpers';

test('the manager signs in with the SMS code from the mailbox and sees their users', async ({ page }) => {
  await signInAsManager(page);
  await expect(page).toHaveURL(/\/beheer\/gebruikers$/);
  await expect(page.getByRole('table', { name: 'Gebruikers' })).toBeVisible();
  // Other tests add users, so find the manager by searching rather than on page 1.
  await page.getByLabel('Zoeken').fill('demo.beheerder');
  await expect(page.getByRole('cell', { name: 'demo.beheerder' })).toBeVisible();
  const menu = page.getByRole('button', { name: 'Menu' });
  const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
  if (test.info().project.name === 'phone') {
    // On a phone the header is one row: the menu opens behind one button and folds again once
    // a page is chosen.
    await expect(nav).toBeHidden();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await nav.getByRole('link', { name: 'Machtigingen' }).click();
    await expect(page.getByRole('heading', { name: 'Machtigingen', level: 1 })).toBeVisible();
    await expect(nav).toBeHidden();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    const header = await page.locator('header').boundingBox();
    expect(header!.height).toBeLessThan(80);
  } else {
    await expect(menu).toBeHidden();
    await expect(nav.getByRole('link', { name: 'Gebruikers' })).toBeVisible();
  }
});

test('a wrong password is refused with a clear message and no code is sent', async ({ page, request }) => {
  // A user of its own whose level asks for an SMS code, so "no code" means something, and
  // whose failures count towards no one else's lock.
  const user = await createActiveUser(request, 'Wim');
  const mark = await mailboxMark(request);
  await signInWithPassword(page, user.username, 'Verkeerd-wachtwoord1');
  await expect(page.getByRole('alert')).toHaveText('De gebruikersnaam of het wachtwoord is onjuist.');
  await expect(page.getByLabel('Gebruikersnaam')).toHaveValue(user.username);
  await expect(page).toHaveURL(/\/inloggen$/);
  // The answer came after the server handled the attempt: any code would be in the mailbox now.
  expect(await smsSince(request, user.mobile, mark)).toEqual([]);
});

test('an unknown username gets the same answer as a wrong password', async ({ page }) => {
  // A name of its own each time: failures for one name add up towards its lock.
  await signInWithPassword(page, `bestaat.niet.${unique().stamp}`, 'Verkeerd-wachtwoord1');
  await expect(page.getByRole('alert')).toHaveText('De gebruikersnaam of het wachtwoord is onjuist.');
});

test('a wrong SMS code says how many tries are left', async ({ page }) => {
  const mark = await mailboxMark(page.request);
  await signInWithPassword(page, MANAGER.username, MANAGER.password);
  await expect(page.getByRole('heading', { name: 'Sms-code invoeren' })).toBeVisible();
  const code = await smsCodeSince(page.request, MANAGER.mobile, mark);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Sms-code').fill(wrong);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await expect(page.getByRole('alert')).toHaveText('De code is onjuist. Nog 4 pogingen.');
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
  // On a phone, signing out is in the folded menu.
  if (test.info().project.name === 'phone') await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
  await page.goto('/mijn-account');
  await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
});

test('"Hulp bij inloggen" lists what to check, in both languages, and leads back', async ({ page }) => {
  await page.goto('/inloggen');
  await page.getByRole('link', { name: 'Hulp bij inloggen' }).click();
  await expect(page).toHaveURL(/\/hulp\/inloggen$/);
  await expect(page.getByRole('heading', { name: 'Hulp bij inloggen', level: 1 })).toBeVisible();
  await expect(page.getByRole('main').getByRole('listitem')).toHaveCount(6);
  await expect(page.getByText('Na 5 verkeerde pogingen kunt u 15 minuten niet inloggen.')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'In English' }).click();
  await expect(page.getByRole('heading', { name: 'Help with signing in', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Back to signing in' }).click();
  await expect(page.getByRole('button', { name: 'Inloggen' })).toBeVisible();
});
