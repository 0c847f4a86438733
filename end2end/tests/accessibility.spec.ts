import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MANAGER, expectAccessible, signInWithPassword } from './helpers';
import { PAGES, signInAs } from './pages';

// An axe check of every page of the app, from the one list in pages.ts. Checks of states that
// only a flow reaches (dialogs, errors, the wizard's and the acceptance's later steps) stay in
// the flows' own tests.

for (const entry of PAGES) {
  test(`${entry.name} (${entry.route}) has no serious accessibility problems`, async ({ page, request }) => {
    const opened = await entry.open(request);
    await signInAs(page, entry.who);
    await page.goto(opened.url);
    await expect(entry.loaded(page)).toBeVisible();
    await expectAccessible(page);
    await opened.cleanUp?.(page);
  });
}

test('the SMS-code step of sign-in has no serious accessibility problems', async ({ page }) => {
  await signInWithPassword(page, MANAGER.username, MANAGER.password);
  await expect(page.getByRole('heading', { name: 'Sms-code invoeren' })).toBeVisible();
  await expectAccessible(page);
});

/** The routes the app's router knows, as written in app/src/ui/mod.rs. */
function routesOfTheApp(): string[] {
  const source = readFileSync(path.resolve(__dirname, '../../app/src/ui/mod.rs'), 'utf8');
  return [...source.matchAll(/path!\(\s*"([^"]*)"\s*\)/g)].map((m) => m[1]);
}

/** The pages the server serves itself (its own shells), as written in server/src/http.rs. */
function routesOfTheServer(): string[] {
  const source = readFileSync(path.resolve(__dirname, '../../server/src/http.rs'), 'utf8');
  return [...source.matchAll(/\.route\(\s*"([^"]+)"\s*,\s*get\(\s*(?:accept_shell|signin_shell)\s*\)/g)].map((m) =>
    m[1].replace(/\{(\w+)\}/g, ':$1'),
  );
}

test('every page of the app is in the list the accessibility checks visit', () => {
  const app = routesOfTheApp();
  const server = routesOfTheServer();
  // The parsing itself still works (a change of the router's syntax must not hide every route).
  expect(app).toContain('/beheer/gebruikers');
  expect(server).toContain('/uitnodiging/:token');
  expect(server).toContain('/inloggen');
  const listed = new Set(PAGES.map((p) => p.route));
  const missing = [...app, ...server].filter((route) => !listed.has(route));
  expect(missing, `routes missing from end2end/tests/pages.ts: ${missing.join(', ')}`).toEqual([]);
  expect(listed.has('fallback'), 'the page for an unknown address').toBeTruthy();
  const known = new Set([...app, ...server, 'fallback']);
  const stale = [...listed].filter((route) => !known.has(route));
  expect(stale, `routes in end2end/tests/pages.ts the app no longer has: ${stale.join(', ')}`).toEqual([]);
});
