import { test, expect } from '@playwright/test';
import { brandURL } from '../playwright.config';
import { MANAGER, expectAccessible, mailboxMark, signInAsManager, smsSince } from './helpers';

// The second portal of playwright.config.ts runs with MACHTIG_BRAND_NAME=Sleutelhuis and a
// helpdesk number: another broker's portal, where the product's own name never shows.
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
