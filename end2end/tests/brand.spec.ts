import { test, expect } from '@playwright/test';
import { brandURL } from '../playwright.config';
import { MANAGER, applyFor, expectAccessible, mailboxMark, mailboxMessages, signInAsManager, smsSince, unique } from './helpers';

// The second portal of playwright.config.ts runs with MACHTIG_BRAND_NAME=Sleutelhuis, its own
// colour and logo, and a helpdesk number: another broker's portal, where the product's own name
// never shows.
test.use({ baseURL: brandURL });

// "Machtig" as a name; "Machtigingen" (authorizations) is a Dutch word, not the product.
const productName = /Machtig(?!ing)/;

test("another broker's brand is in the title, the header and the messages, and Machtig nowhere", async ({ page }) => {
  await page.goto('/inloggen');
  await expect(page).toHaveTitle('Inloggen · Sleutelhuis');
  await expect(page.getByRole('banner')).toContainText('Sleutelhuis');
  await expect(page.locator('body')).not.toContainText(productName);
  await expectAccessible(page);

  const mark = await mailboxMark(page.request);
  await signInAsManager(page);
  await expect(page).toHaveTitle('Gebruikers · Sleutelhuis');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sleutelhuis' })).toBeVisible();
  await expect(page.locator('body')).not.toContainText(productName);

  const [sms] = await smsSince(page.request, MANAGER.mobile, mark);
  expect(sms.body).toContain('Uw inlogcode voor Sleutelhuis is');
  expect(sms.body).not.toMatch(productName);

  // The help page names the broker's helpdesk.
  await page.goto('/hulp/inloggen');
  await expect(page).toHaveTitle('Hulp bij inloggen · Sleutelhuis');
  await expect(page.getByText('Neem contact op met de helpdesk van Sleutelhuis:')).toBeVisible();
  await expect(page.getByRole('link', { name: '020 123 4567' })).toHaveAttribute('href', 'tel:0201234567');
  await expect(page.locator('body')).not.toContainText(productName);
});

test("another broker's colour and logo are in the header, and its name is in the invitation e-mail", async ({ page, request }) => {
  await page.goto('/inloggen');
  const banner = page.getByRole('banner');
  // #7a1f5c under white text, on the sign-in page and in the portal alike.
  await expect(banner).toHaveCSS('background-color', 'rgb(122, 31, 92)');
  const logo = await page.locator('.brand').evaluate((el) => getComputedStyle(el, '::before').backgroundImage);
  expect(logo).toMatch(/\/pkg\/[0-9a-f]+\/logo\.svg/);
  const served = await page.request.get(logo.match(/url\("?([^")]+)"?\)/)![1]);
  expect(served.ok()).toBe(true);
  expect(served.headers()['content-type']).toBe('image/svg+xml');
  await signInAsManager(page);
  await expect(page.getByRole('banner')).toHaveCSS('background-color', 'rgb(122, 31, 92)');
  await expect(page.getByRole('link', { name: 'Gebruiker(s) toevoegen' })).toBeVisible();
  await expectAccessible(page);

  // An invitation from this portal: its name, its helpdesk, and the product's name nowhere.
  const { stamp, mobile } = unique();
  const email = `merk.${stamp}@example.nl`;
  await applyFor(request, [{ first: 'Mirte', last: `Merk-${stamp}`, email, mobile, employed: true }]);
  await expect.poll(async () => (await mailboxMessages(request)).some((m) => m.channel === 'email' && m.recipient === email)).toBe(true);
  const invitation = (await mailboxMessages(request)).find((m) => m.channel === 'email' && m.recipient === email)!;
  expect(invitation.body).toContain('Sleutelhuis');
  expect(invitation.body).toContain('Helpdesk: 020 123 4567');
  expect(`${invitation.subject ?? ''}\n${invitation.body}`).not.toMatch(productName);
});
