import { test, expect } from '@playwright/test';
import { createActiveUser, signInWithPassword } from './helpers';

// Locks a user of its own, so it can run in any order and again on the same data: no other
// test (nor a rerun) needs that account.
test('five wrong passwords lock the account, even for the right password', async ({ page, request }) => {
  const user = await createActiveUser(request, 'Lot');
  for (let i = 0; i < 5; i++) {
    await signInWithPassword(page, user.username, `Verkeerd-${i}-wachtwoord`);
    await expect(page.getByRole('alert')).toHaveText('De gebruikersnaam of het wachtwoord is onjuist.');
  }
  await signInWithPassword(page, user.username, user.password);
  await expect(page.getByRole('alert')).toHaveText(/Te veel mislukte pogingen\. Probeer het over 1[45] minuten opnieuw\./);
  await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sms-code invoeren' })).toHaveCount(0);
});
