import { test, expect } from '@playwright/test';
import { USER, signInWithPassword } from './helpers';

test('the password checklist follows what is typed, and the server agrees', async ({ page }) => {
  await signInWithPassword(page, USER.username, USER.password);
  await expect(page.getByRole('heading', { name: 'Mijn account' })).toBeVisible();
  const rules = page.getByRole('list').filter({ hasText: 'minimaal 8 tekens' }).getByRole('listitem');
  const rule = (text: string) => rules.filter({ hasText: text });

  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('abc');
  await expect(rule('minimaal 8 tekens')).toContainText('nog niet voldaan');
  await expect(rule('kleine letter')).toContainText('(voldaan)');
  await expect(rule('hoofdletter')).toContainText('nog niet voldaan');

  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('Xdemo.gebruiker-1');
  await expect(rule('minimaal 8 tekens')).toContainText('(voldaan)');
  await expect(rule('speciaal teken')).toContainText('(voldaan)');
  await expect(rule('gebruikersnaam')).toContainText('nog niet voldaan');

  // The same password the user has now: the policy is met, but the server refuses a recent one.
  await page.getByLabel('Huidig wachtwoord').fill(USER.password);
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(USER.password);
  await page.getByLabel('Herhaal nieuw wachtwoord').fill(USER.password);
  for (const r of ['tekens', 'kleine letter', 'hoofdletter', 'cijfer', 'speciaal teken', 'gebruikersnaam']) {
    await expect(rule(r)).toContainText('(voldaan)');
  }
  await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await expect(page.getByText('Kies een wachtwoord dat u de laatste 5 keer niet heeft gebruikt.')).toBeVisible();
  // Nothing typed was lost.
  await expect(page.getByLabel('Huidig wachtwoord')).toHaveValue(USER.password);
});
