import { test, expect, BrowserContext, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import {
  MANAGER,
  USER,
  applyFor,
  callApi,
  createActiveUser,
  expectAccessible,
  invitationToken,
  mailboxMark,
  signInAsManager,
  signInWithPassword,
  smsCodeSince,
  sqlOnTestDatabase,
  unique,
} from './helpers';

// Moving around the portal: the sign-in page in place of a portal page and back, an ended
// session, page titles, focus after a route change, the skip link, the language switch on
// lazily loaded pages, and a lost connection. Desktop only (nothing here depends on the screen).

type Credentials = { username: string; password: string; mobile?: string };
const MANAGER_IN: Credentials = MANAGER;
const USER_IN: Credentials = USER;

/**
 * Signs in on the sign-in page shown now, wherever it is (its own address, a portal address,
 * or /inloggen?terug=...), with the SMS code when the user has a mobile.
 */
async function signInHere(page: Page, who: Credentials) {
  await expect(page.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
  const mark = await mailboxMark(page.request);
  await page.getByLabel('Gebruikersnaam').fill(who.username);
  await page.getByLabel('Wachtwoord').fill(who.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  if (who.mobile) {
    await expect(page.getByRole('heading', { name: 'Sms-code invoeren' })).toBeVisible();
    const code = await smsCodeSince(page.request, who.mobile, mark);
    await page.getByLabel('Sms-code').fill(code);
    await page.getByRole('button', { name: 'Bevestigen' }).click();
  }
}

/**
 * Ends this browser context's session on the server, and only that one (the cookie's token,
 * hashed as the server stores it), as an idle timeout would: no other test's session of the
 * same user is touched.
 */
async function endThisBrowsersSession(context: BrowserContext) {
  const cookie = (await context.cookies()).find((c) => c.name === 'machtig_session');
  expect(cookie, 'a session cookie in this browser').toBeTruthy();
  const hash = createHash('sha256').update(cookie!.value).digest('hex');
  sqlOnTestDatabase(`DELETE FROM sessions WHERE token_hash = decode('${hash}', 'hex')`);
}

const mainMenu = (page: Page) => page.getByRole('navigation', { name: 'Hoofdmenu' });
const mainMenuEn = (page: Page) => page.getByRole('navigation', { name: 'Main menu' });

// ---------------------------------------------------------------------------------------------
// The sign-in page in place of a portal page.

test('a visitor who opens a portal page signs in at that address and then sees that page', async ({ page }) => {
  await page.goto('/beheer/lopende-aanvragen');
  await expect(page.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/beheer\/lopende-aanvragen$/);
  await expect(page).toHaveTitle('Inloggen · Mijn Machtig');
  await expect(mainMenu(page)).toHaveCount(0);
  await expectAccessible(page);

  await signInHere(page, MANAGER_IN);
  await expect(page.getByRole('heading', { name: 'Lopende aanvragen', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/beheer\/lopende-aanvragen$/);
  await expect(page).toHaveTitle('Lopende aanvragen · Mijn Machtig');
  await expect(mainMenu(page).getByRole('link', { name: 'Gebruikers' })).toBeVisible();
});

test('signing in from /inloggen?terug=/mijn-account returns to Mijn account', async ({ page }) => {
  await page.goto('/inloggen?terug=/mijn-account');
  await signInHere(page, USER_IN);
  await expect(page.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/mijn-account$/);
});

for (const elsewhere of ['//evil.example', 'https%3A%2F%2Fevil.example', 'https://evil.example']) {
  test(`a return address on another site (${elsewhere}) is ignored and signing in goes to the start page`, async ({ page }) => {
    await page.goto(`/inloggen?terug=${elsewhere}`);
    const origin = new URL(page.url()).origin;
    await signInHere(page, MANAGER_IN);
    // "/" sends a manager on to their users.
    await expect(page.getByRole('heading', { name: 'Gebruikers', level: 1 })).toBeVisible();
    await expect(page).toHaveURL(`${origin}/beheer/gebruikers`);
  });
}

// ---------------------------------------------------------------------------------------------
// An ended session.

test('after signing out in another tab, the next page asked for goes to sign-in and back to it afterwards', async ({ page, context }) => {
  await signInAsManager(page);
  await expect(page).toHaveURL(/\/beheer\/gebruikers$/);

  // Signing out in a second tab of the same browser ends the session both tabs share.
  const other = await context.newPage();
  await other.goto('/mijn-account');
  await expect(other.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeVisible();
  await other.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(other.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
  await expect(other).toHaveTitle('Inloggen · Mijn Machtig');
  await other.close();

  await mainMenu(page).getByRole('link', { name: 'Lopende aanvragen' }).click();
  await expect(page).toHaveURL(/\/inloggen\?terug=\/beheer\/lopende-aanvragen$/);
  await expect(page.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
  await expect(mainMenu(page)).toHaveCount(0);

  await signInHere(page, MANAGER_IN);
  await expect(page.getByRole('heading', { name: 'Lopende aanvragen', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/beheer\/lopende-aanvragen$/);
});

test('when the session ends on the server, a search on Gebruikers goes to sign-in and back to the list', async ({ page, context }) => {
  await signInAsManager(page);
  await expect(page.getByRole('table', { name: 'Gebruikers' })).toBeVisible();
  await endThisBrowsersSession(context);

  await page.getByLabel('Zoeken').fill('demo.beheerder');
  await expect(page).toHaveURL(/\/inloggen\?terug=\/beheer\/gebruikers$/);
  await expect(page.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);

  await signInHere(page, MANAGER_IN);
  await expect(page).toHaveURL(/\/beheer\/gebruikers$/);
  await expect(page.getByRole('table', { name: 'Gebruikers' })).toBeVisible();
});

test("when a user's sessions are ended, changing the password goes to sign-in and back to Mijn account", async ({ page, request }) => {
  // A user of this test's own: ending all of their sessions signs no other test out.
  const user = await createActiveUser(request, 'Sanne');
  await page.goto('/mijn-account');
  await signInHere(page, user);
  await expect(page.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/mijn-account$/);

  sqlOnTestDatabase(`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = '${user.username}')`);
  await page.getByLabel('Huidig wachtwoord').fill(user.password);
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('Ander-Wachtwoord8');
  await page.getByLabel('Herhaal nieuw wachtwoord').fill('Ander-Wachtwoord8');
  await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await expect(page).toHaveURL(/\/inloggen\?terug=\/mijn-account$/);
  await expect(page.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();

  // The password did not change: the old one still signs in.
  await signInHere(page, user);
  await expect(page.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/mijn-account$/);
  await expect(page.getByText(user.username, { exact: true })).toBeVisible();
});

test('signing out loads the sign-in page at /inloggen, and the next person signing in starts at their own page', async ({ page }) => {
  await signInAsManager(page);
  await expect(page).toHaveURL(/\/beheer\/gebruikers$/);
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/inloggen$/);

  // Someone else signs in here: they start where they belong, not on the manager's users list.
  await signInHere(page, USER_IN);
  await expect(page.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/mijn-account$/);
});

// ---------------------------------------------------------------------------------------------
// Page titles.

test('every portal page names itself in the title, in Dutch and in English', async ({ page }) => {
  await signInAsManager(page);
  await expect(page).toHaveTitle('Gebruikers · Mijn Machtig');
  await mainMenu(page).getByRole('link', { name: 'Lopende aanvragen' }).click();
  await expect(page.getByRole('heading', { name: 'Lopende aanvragen', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Lopende aanvragen · Mijn Machtig');
  await mainMenu(page).getByRole('link', { name: 'Mijn account' }).click();
  await expect(page.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Mijn account · Mijn Machtig');

  // The switch renames the page shown, and every page after it.
  await page.getByRole('button', { name: 'EN English' }).click();
  await expect(page.getByRole('heading', { name: 'My account', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('My account · Mijn Machtig');
  await mainMenuEn(page).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Users · Mijn Machtig');
  await mainMenuEn(page).getByRole('link', { name: 'Applications in progress' }).click();
  await expect(page.getByRole('heading', { name: 'Applications in progress', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Applications in progress · Mijn Machtig');

  await page.getByRole('button', { name: 'NL Nederlands' }).click();
  await expect(page).toHaveTitle('Lopende aanvragen · Mijn Machtig');
});

test('the sign-in page is titled Inloggen, and Sign in in English', async ({ page }) => {
  await page.goto('/inloggen');
  await expect(page.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Inloggen · Mijn Machtig');
  await page.getByRole('button', { name: 'EN English' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Sign in · Mijn Machtig');
  await page.getByRole('button', { name: 'NL Nederlands' }).click();
  await expect(page).toHaveTitle('Inloggen · Mijn Machtig');
});

test('the acceptance page is titled Uitnodiging, and Invitation in English', async ({ page, request }) => {
  const { stamp, mobile } = unique();
  const email = `titel.${stamp}@example.nl`;
  await applyFor(request, [{ first: 'Tim', last: `Titel-${stamp}`, email, mobile, employed: true }]);
  await page.goto(`/uitnodiging/${await invitationToken(request, email)}`);
  await expect(page.getByRole('button', { name: 'Gegevens kloppen' })).toBeVisible();
  await expect(page).toHaveTitle('Uitnodiging · Mijn Machtig');
  await page.getByRole('button', { name: 'EN English' }).click();
  await expect(page).toHaveTitle('Invitation · Mijn Machtig');
  await page.getByRole('button', { name: 'NL Nederlands' }).click();
  await expect(page).toHaveTitle('Uitnodiging · Mijn Machtig');
});

// ---------------------------------------------------------------------------------------------
// Focus after a route change, and the skip link.

test("a main-menu link moves the keyboard focus to the new page's heading", async ({ page }) => {
  await signInAsManager(page);
  await mainMenu(page).getByRole('link', { name: 'Lopende aanvragen' }).click();
  await expect(page.getByRole('heading', { name: 'Lopende aanvragen', level: 1 })).toBeFocused();
  await mainMenu(page).getByRole('link', { name: 'Mijn account' }).click();
  await expect(page.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeFocused();
  await mainMenu(page).getByRole('link', { name: 'Gebruikers' }).click();
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 1 })).toBeFocused();
  // The next Tab starts from the heading, in the page itself, not back in the header.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Zoeken')).toBeFocused();
});

test("each next step of the add-users wizard takes the focus to the step's heading", async ({ page }) => {
  await signInAsManager(page);
  // Its first step, whatever draft an earlier test left.
  await callApi(page.request, 'wizard/discard');
  await page.getByRole('link', { name: 'Gebruiker(s) toevoegen' }).click();
  await expect(page.getByRole('heading', { name: 'Gebruiker(s) toevoegen', level: 1 })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Organisatie en niveau', level: 2 })).toBeVisible();

  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByRole('radio', { name: 'EH3' }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'KvK-nummer en vestiging', level: 2 })).toBeFocused();

  await page.getByLabel('KvK-nummer').fill('34123456');
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByText('Gevonden in het Handelsregister: Bakkerij De Vries B.V.')).toBeVisible();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Organisatiegegevens', level: 2 })).toBeFocused();

  await page.getByRole('button', { name: 'Vorige' }).click();
  await expect(page.getByRole('heading', { name: 'KvK-nummer en vestiging', level: 2 })).toBeFocused();
  await callApi(page.request, 'wizard/discard');
});

/** The first Tab stop of the page as loaded is the skip link, and Enter on it focuses the main content. */
async function expectSkipLink(page: Page, name: string) {
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
}

test('on the sign-in page the first Tab stop is the skip link, which moves the focus to the content', async ({ page }) => {
  await page.goto('/inloggen');
  await expect(page.getByRole('heading', { name: 'Inloggen', level: 1 })).toBeVisible();
  await expectSkipLink(page, 'Naar de inhoud');
  // From the content, the next Tab is the form's first field, past the header.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Gebruikersnaam')).toBeFocused();

  await page.getByRole('button', { name: 'EN English' }).click();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await expectSkipLink(page, 'Skip to content');
});

test('on portal pages the first Tab stop is the skip link', async ({ page }) => {
  await signInAsManager(page);
  for (const [url, heading] of [
    ['/beheer/gebruikers', 'Gebruikers'],
    ['/beheer/lopende-aanvragen', 'Lopende aanvragen'],
    ['/mijn-account', 'Mijn account'],
  ]) {
    await page.goto(url);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Naar de inhoud' })).toBeFocused();
    await expect(page.getByRole('link', { name: 'Naar de inhoud' })).toBeInViewport();
  }
  await page.getByRole('button', { name: 'EN English' }).click();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'My account', level: 1 })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
});

test('on portal pages the skip link moves the focus to the main content', async ({ page }) => {
  await signInAsManager(page);
  await page.goto('/beheer/gebruikers');
  await expect(page.getByRole('table', { name: 'Gebruikers' })).toBeVisible();
  await expectSkipLink(page, 'Naar de inhoud');
  // From the content, the next Tab is the page's search field, past the header.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Zoeken')).toBeFocused();
});

test('on the acceptance page the first Tab stop is the skip link, which moves the focus to the content', async ({ page, request }) => {
  const { stamp, mobile } = unique();
  const email = `overslaan.${stamp}@example.nl`;
  await applyFor(request, [{ first: 'Olga', last: `Overslaan-${stamp}`, email, mobile, employed: true }]);
  await page.goto(`/uitnodiging/${await invitationToken(request, email)}`);
  await expect(page.getByRole('button', { name: 'Gegevens kloppen' })).toBeVisible();
  await expectSkipLink(page, 'Naar de inhoud');
});

// ---------------------------------------------------------------------------------------------
// The language switch.

test('the language buttons are named by the text they show', async ({ page }) => {
  await page.goto('/inloggen');
  await expect(page.getByRole('button', { name: 'NL Nederlands', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'EN English', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'NL Nederlands', exact: true })).toContainText('NL');
  await expect(page.getByRole('button', { name: 'EN English', exact: true })).toContainText('EN');

  await signInWithPassword(page, USER.username, USER.password);
  await expect(page.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'NL Nederlands', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'EN English', exact: true })).toHaveAttribute('aria-pressed', 'false');
});

for (const { url, nl, en } of [
  { url: '/beheer/lopende-aanvragen', nl: 'Lopende aanvragen', en: 'Applications in progress' },
  { url: '/beheer/gebruikers', nl: 'Gebruikers', en: 'Users' },
]) {
  test(`switching to English on a lazily loaded page (${url}) translates it at once, and back`, async ({ page }) => {
    await signInAsManager(page);
    await page.goto(url);
    await expect(page.getByRole('heading', { name: nl, level: 1 })).toBeVisible();
    // Set on this document: still there afterwards means the page was not loaded again.
    await page.evaluate(() => ((window as unknown as { stillThisPage: boolean }).stillThisPage = true));

    await page.getByRole('button', { name: 'EN English' }).click();
    await expect(page.getByRole('heading', { name: en, level: 1 })).toBeVisible();
    await expect(mainMenuEn(page).getByRole('link', { name: 'Applications in progress' })).toBeVisible();
    await expect(page).toHaveTitle(`${en} · Mijn Machtig`);

    await page.getByRole('button', { name: 'NL Nederlands' }).click();
    await expect(page.getByRole('heading', { name: nl, level: 1 })).toBeVisible();
    await expect(mainMenu(page).getByRole('link', { name: 'Lopende aanvragen' })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
  });
}

// ---------------------------------------------------------------------------------------------
// A lost connection.

const NO_CONNECTION = 'Geen verbinding met de server. Controleer uw verbinding en probeer het opnieuw.';
const NO_CONNECTION_EN = 'No connection to the server. Check your connection and try again.';

test('without a connection, changing the password says so, and works again once back online', async ({ page, context }) => {
  await signInWithPassword(page, USER.username, USER.password);
  await expect(page.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeVisible();
  // A wrong current password: whatever happens, demo.gebruiker's password stays as it is.
  await page.getByLabel('Huidig wachtwoord').fill('Niet-het-wachtwoord1');
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('Offline-Proef-2026!');
  await page.getByLabel('Herhaal nieuw wachtwoord').fill('Offline-Proef-2026!');
  const alerts = page.getByRole('alert');

  await context.setOffline(true);
  try {
    await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await expect(alerts.filter({ hasText: 'Geen verbinding' })).toHaveText(NO_CONNECTION);
    await expect(alerts.filter({ hasText: 'Er ging iets mis' })).toHaveCount(0);
    await page.getByRole('button', { name: 'EN English' }).click();
    await expect(alerts.filter({ hasText: 'No connection' })).toHaveText(NO_CONNECTION_EN);
    await page.getByRole('button', { name: 'NL Nederlands' }).click();
    await expect(alerts.filter({ hasText: 'Geen verbinding' })).toHaveText(NO_CONNECTION);
  } finally {
    await context.setOffline(false);
  }

  // Online again, the same form reaches the server, which answers about the password.
  await expect(page.getByLabel('Huidig wachtwoord')).toHaveValue('Niet-het-wachtwoord1');
  await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await expect(page.getByText('Het huidige wachtwoord is onjuist.')).toBeVisible();
  await expect(alerts.filter({ hasText: 'Geen verbinding' })).toHaveCount(0);
});

test('without a connection, searching on Gebruikers says so, and finds again once back online', async ({ page, context }) => {
  await signInAsManager(page);
  const table = page.getByRole('table', { name: 'Gebruikers' });
  await expect(table).toBeVisible();

  await context.setOffline(true);
  try {
    await page.getByLabel('Zoeken').fill('demo.beheerder');
    await expect(page.getByRole('alert')).toHaveText(NO_CONNECTION);
    await expect(table).toHaveCount(0);
    // Still the portal: a lost connection is not an ended session.
    await expect(page).toHaveURL(/\/beheer\/gebruikers$/);
  } finally {
    await context.setOffline(false);
  }

  await page.getByLabel('Zoeken').fill('demo.beheer');
  await expect(table.getByRole('cell', { name: 'demo.beheerder' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});
