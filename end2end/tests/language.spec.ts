import { test, expect, Page } from '@playwright/test';

/** The document's language, as a screen reader reads it from <html lang>. */
const documentLanguage = (page: Page) => page.evaluate(() => document.documentElement.lang);

test('the language switch changes the texts and is remembered', async ({ page }) => {
  await page.goto('/inloggen');
  await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
  await expect.poll(() => documentLanguage(page)).toBe('nl');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Username')).toBeVisible();
  await expect.poll(() => documentLanguage(page)).toBe('en');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
});
