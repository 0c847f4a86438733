import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const MANAGER = { username: 'demo.beheerder', password: 'Welkom-Machtig1', mobile: '+31612345678' };
export const USER = { username: 'demo.gebruiker', password: 'Gebruiker-2026' };
export const OPERATOR = { username: 'demo.makelaar', password: 'Controle-2026!' };

/** Reads the newest SMS to `mobile` from the development mailbox, as a person reads a phone. */
export async function codeFromMailbox(page: Page, mobile: string): Promise<string> {
  const mailbox = await page.context().newPage();
  await mailbox.goto('/dev/mailbox');
  const sms = mailbox.getByRole('article', { name: `Sms ${mobile}` }).first();
  await expect(sms).toBeVisible();
  const text = await sms.innerText();
  await mailbox.close();
  const match = text.match(/inlogcode is (\d{6})/);
  expect(match, text).not.toBeNull();
  return match![1];
}

export async function signInWithPassword(page: Page, username: string, password: string) {
  await page.goto('/inloggen');
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

export async function signInAsManager(page: Page) {
  await signInWithPassword(page, MANAGER.username, MANAGER.password);
  await expect(page.getByRole('heading', { name: 'Sms-code invoeren' })).toBeVisible();
  const code = await codeFromMailbox(page, MANAGER.mobile);
  await page.getByLabel('Sms-code').fill(code);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 1 })).toBeVisible();
}

/** No serious or critical accessibility violations on the page as it is now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}
