import { test, expect } from '@playwright/test';
import { OPERATOR, signInWithPassword } from './helpers';

test('five wrong passwords lock the account, even for the right password', async ({ page }) => {
  for (let i = 0; i < 5; i++) {
    await signInWithPassword(page, OPERATOR.username, `Verkeerd-${i}-wachtwoord`);
    await expect(page.getByRole('alert')).toHaveText('De gebruikersnaam of het wachtwoord is onjuist.');
  }
  await signInWithPassword(page, OPERATOR.username, OPERATOR.password);
  await expect(page.getByRole('alert')).toHaveText(/Te veel mislukte pogingen\. Probeer het over 1[45] minuten opnieuw\./);
  await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
});
