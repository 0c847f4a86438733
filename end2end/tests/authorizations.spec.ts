import { test, expect, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createActiveUser, expectAccessible, mailboxMark, mailboxMessages, portalDate, signInAsManager, signInFully, sqlOnTestDatabase, unique } from './helpers';

test('a manager filters the authorizations, exports them and revokes one', async ({ page, request }) => {
  // A user of this test's own with one active authorization (the tax office, EH3).
  const user = await createActiveUser(request, 'Mara');
  const lastName = user.name.split(' ')[1];

  await signInAsManager(page);
  await page.getByRole('link', { name: 'Machtigingen' }).click();
  await expect(page.getByRole('heading', { name: 'Machtigingen', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Machtigingen · Mijn Machtig');
  const table = page.getByRole('table', { name: 'Machtigingen' });
  await expect(table).toBeVisible();
  await expectAccessible(page);

  // Filters: the user's name finds exactly their row; a level they do not hold finds nothing.
  await filterOnUser(page, lastName);
  const rows = table.getByRole('row').filter({ hasText: lastName });
  await expect(rows).toHaveCount(1);
  await expect(table.getByRole('row')).toHaveCount(2);
  const row = rows.first();
  await expect(row).toContainText('Bakkerij De Vries B.V.');
  await expect(row).toContainText('EH3');
  await expect(row).toContainText('Actief');
  await expect(row.getByRole('cell').nth(6)).toHaveText(/^\d{2}-\d{2}-\d{4}$/);
  await page.getByLabel('Niveau').selectOption('EH4');
  await expect(page.getByText('Geen machtigingen gevonden met deze filters.')).toBeVisible();
  await page.getByLabel('Niveau').selectOption('EH3');
  await expect(rows).toHaveCount(1);

  // The export holds what the filters show, as a Dutch spreadsheet opens it.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Exporteren (CSV)' }).click();
  const file = await readFile(await (await download).path(), 'utf-8');
  const lines = file.split('\r\n').filter((l) => l.length > 0);
  expect(lines[0]).toBe('\ufeffGebruiker;E-mailadres;Organisatie;Dienst;Beheerder;Niveau;Vestiging;Geldig van;Geldig tot;Status');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`${user.name};${user.email};Bakkerij De Vries B.V.;`);
  expect(lines[1]).toMatch(/;nee;EH3;;\d{2}-\d{2}-\d{4};\d{2}-\d{2}-\d{4};actief$/);

  // The trash can asks first and says what the user loses.
  await row.getByRole('button', { name: new RegExp(`^Intrekken: ${user.name} – `) }).click();
  const confirm = page.getByRole('group', { name: 'Machtiging intrekken?' });
  await expect(confirm).toContainText(`${user.name} kan dan direct niet meer namens Bakkerij De Vries B.V. gebruikmaken van`);
  await expectAccessible(page);
  await confirm.getByRole('button', { name: 'Ja, intrekken' }).click();
  await expect(page.getByText('De machtiging is ingetrokken.')).toBeVisible();
  await expect(page.getByText('Geen machtigingen gevonden met deze filters.')).toBeVisible();

  // Inactive ones on request: revoked, and no trash can any more.
  await page.getByLabel('Toon ook inactieve machtigingen').check();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Ingetrokken');
  await expect(rows.first().getByRole('button', { name: /^Intrekken/ })).toHaveCount(0);
});

test('the authorizations page works in English', async ({ page }) => {
  await signInAsManager(page);
  await page.getByRole('button', { name: 'EN English' }).click();
  await page.getByRole('link', { name: 'Authorizations' }).click();
  await expect(page.getByRole('heading', { name: 'Authorizations', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Authorizations' })).toBeVisible();
  await expect(page.getByLabel('Show inactive authorizations too')).toBeVisible();
  await page.getByRole('button', { name: 'NL Nederlands' }).click();
});

/**
 * Types in the user filter and waits until the list shows the answer: the search asks once
 * typing pauses and says "Bezig met zoeken…" until the answer is shown.
 */
async function filterOnUser(page: Page, text: string) {
  await page.getByLabel('Gebruiker').fill(text);
  await expect(page.getByRole('status').filter({ hasText: 'Bezig met zoeken…' })).toHaveCount(0);
}

test('a manager renews one authorization, activates an expired one and renews five at once from Verloopt binnenkort', async ({ page, request }) => {
  test.setTimeout(120_000);
  const one = await createActiveUser(request, 'Rens');
  await signInAsManager(page);
  await page.getByRole('link', { name: 'Machtigingen' }).click();
  const table = page.getByRole('table', { name: 'Machtigingen' });
  await filterOnUser(page, one.name.split(' ')[1]);
  const row = table.getByRole('row').filter({ hasText: one.name });
  await expect(row).toHaveCount(1);
  const end = await row.getByRole('cell').nth(7).innerText();

  // One, by its renew sign: from its end date, 1 year, with the price before "Akkoord".
  await row.getByRole('button', { name: new RegExp(`^Verlengen: ${one.name}`) }).click();
  const panel = page.getByRole('region', { name: 'Machtigingen verlengen' });
  await expect(panel.getByRole('heading', { name: 'Machtigingen verlengen' })).toBeFocused();
  const [d, m, y] = end.split('-').map(Number);
  const newEnd = `${String(d).padStart(2, '0')}-${String(m).padStart(2, '0')}-${y + 1}`;
  await expect(panel.getByRole('row').filter({ hasText: one.name })).toContainText(newEnd);
  await expect(panel).toContainText('€ 15,00');
  await expect(panel).toContainText('€ 18,15');
  await expectAccessible(page);
  await panel.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByText('1 machtiging is verlengd.')).toBeVisible();
  await expect(row.getByRole('cell').nth(7)).toHaveText(newEnd);

  // It expires (time passes): "Activeren" starts a new period from today.
  sqlOnTestDatabase(
    `UPDATE authorizations SET state = 'expired', valid_from = now() - interval '2 years', valid_until = now() - interval '1 day'
      WHERE user_id = (SELECT id FROM users WHERE email = '${one.email}')`,
  );
  await page.getByLabel('Toon ook inactieve machtigingen').check();
  await expect(row).toContainText('Verlopen');
  await row.getByRole('button', { name: new RegExp(`^Activeren: ${one.name}`) }).click();
  await expect(panel.getByRole('row').filter({ hasText: one.name })).toContainText(portalDate(new Date(), 1));
  await panel.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByText('1 machtiging is verlengd.')).toBeVisible();
  await expect(row).toContainText('Actief');
  await expect(row.getByRole('cell').nth(7)).toHaveText(portalDate(new Date(), 1));

  // Five users whose authorizations end within 30 days: chosen with the checkboxes, 3 years.
  const first = `Vijf${unique().stamp}`;
  const five = [];
  for (let i = 0; i < 5; i++) five.push(await createActiveUser(request, first));
  sqlOnTestDatabase(
    `UPDATE authorizations SET valid_until = now() + interval '20 days'
      WHERE user_id IN (SELECT id FROM users WHERE first_name = '${first}')`,
  );
  await page.reload();
  await expect(page.getByRole('group', { name: 'Verloopt binnenkort' })).toBeVisible();
  await page.getByRole('button', { name: /binnen 30 dagen$/ }).click();
  await expect(page.getByRole('combobox', { name: 'Verloopt binnenkort' })).toHaveValue('30');
  await filterOnUser(page, first);
  const rows = table.getByRole('row').filter({ hasText: first });
  await expect(rows).toHaveCount(5);
  for (const u of five) await page.getByRole('checkbox', { name: new RegExp(`^Kiezen: ${u.name}`) }).check();
  await page.getByRole('button', { name: 'Machtigingen verlengen (5 gekozen)' }).click();
  await panel.getByLabel('3 jaar').check();
  await expect(panel.getByRole('row').filter({ hasText: first })).toHaveCount(5);
  await expect(panel).toContainText('€ 125,00');
  await expect(panel).toContainText('€ 151,25');
  await panel.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByText('5 machtigingen zijn verlengd.')).toBeVisible();
  // No longer ending within 30 days.
  await expect(page.getByText('Geen machtigingen gevonden met deze filters.')).toBeVisible();
});

test('a manager appoints a manager, ends that right again (effective in the new manager\'s open session at once), and cannot remove the last manager', async ({ page, browser, request }) => {
  const bea = await createActiveUser(request, 'Bea');
  await signInAsManager(page);
  await page.getByRole('link', { name: 'Machtigingen' }).click();
  const table = page.getByRole('table', { name: 'Machtigingen' });
  await filterOnUser(page, bea.name.split(' ')[1]);
  const rows = table.getByRole('row').filter({ hasText: bea.name });
  await expect(rows).toHaveCount(1);

  await rows.first().getByRole('button', { name: `Beheerder maken: ${bea.name} – Bakkerij De Vries B.V.` }).click();
  const ask = page.getByRole('group', { name: 'Beheerder maken?' });
  await expect(ask).toContainText('Wat is een beheerder?');
  await expectAccessible(page);
  await ask.getByRole('button', { name: 'Ja, beheerder maken' }).click();
  await expect(page.getByText(`${bea.name} is nu beheerder van Bakkerij De Vries B.V.`)).toBeVisible();
  const right = rows.filter({ hasText: 'Beheer van machtigingen' });
  await expect(right).toHaveCount(1);
  await expect(right).toContainText('beheerder');
  await expect(rows.first().getByRole('button', { name: /^Beheerder maken/ })).toHaveCount(0);

  // Bea signs in in a browser of her own and manages Bakkerij De Vries.
  const beaContext = await browser.newContext();
  const beaPage = await beaContext.newPage();
  await signInFully(beaPage, bea.username, bea.password, bea.mobile);
  const beaNav = beaPage.getByRole('navigation', { name: 'Hoofdmenu' });
  await expect(beaNav.getByRole('link', { name: 'Machtigingen' })).toBeVisible();

  // Ending the right again: Bakkerij De Vries keeps its other manager.
  await right.getByRole('button', { name: /^Intrekken: / }).click();
  await page.getByRole('group', { name: 'Machtiging intrekken?' }).getByRole('button', { name: 'Ja, intrekken' }).click();
  await expect(page.getByText('De machtiging is ingetrokken.')).toBeVisible();
  await expect(rows).toHaveCount(1);

  // At once, in Bea's session that is still open: the management pages are gone.
  await beaPage.goto('/mijn-account');
  await expect(beaPage.getByRole('heading', { name: 'Mijn account', level: 1 })).toBeVisible();
  await expect(beaNav.getByRole('link', { name: 'Machtigingen' })).toHaveCount(0);
  await beaContext.close();

  // Berg Advies has one manager, the demo manager: the server refuses and the page says why.
  await page.getByLabel('Organisatie').selectOption({ label: 'Berg Advies V.O.F.' });
  await filterOnUser(page, 'Jansen');
  const last = table.getByRole('row').filter({ hasText: 'Beheer van machtigingen' });
  await expect(last).toHaveCount(1);
  await last.getByRole('button', { name: /^Intrekken: / }).click();
  await page.getByRole('group', { name: 'Machtiging intrekken?' }).getByRole('button', { name: 'Ja, intrekken' }).click();
  await expect(page.getByRole('alert')).toContainText('Dit is de laatste beheerder van deze organisatie.');
  await expect(last).toContainText('Actief');
});

test('a manager requests new authorizations for a user who holds a means, active at once', async ({ page, request }) => {
  test.setTimeout(90_000);
  const user = await createActiveUser(request, 'Noa');
  const lastName = user.name.split(' ')[1];
  await signInAsManager(page);
  await page.getByRole('link', { name: 'Machtigingen' }).click();
  await page.getByRole('link', { name: 'Nieuwe machtigingen aanvragen' }).click();
  await expect(page.getByRole('heading', { name: 'Nieuwe machtigingen aanvragen', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Nieuwe machtigingen aanvragen · Mijn Machtig');

  // 1 and 2: the organization, then the user, found by name.
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByLabel('Zoek de gebruiker').fill(lastName);
  await page.getByRole('radio', { name: new RegExp(`^${user.name} · ${user.email} · EH3$`) }).check();
  // 3: at most the user's means and the manager's own (both EH3).
  await expect(page.getByRole('radio', { name: 'EH3', exact: true })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'EH4', exact: true })).toHaveCount(0);
  // 4: "alle" offers the one all-services authorization, not every service one by one.
  await page.getByLabel('Zoek een dienst').fill('alle');
  await page.getByRole('button', { name: /^Alle diensten kiezen/ }).click();
  await expect(page.getByText('Alle diensten: één machtiging voor alle bestaande en toekomstige diensten.')).toBeVisible();
  await page.getByLabel('Ook beheerder worden (gratis)').check();
  // 5: three years; the live price is one authorization at EH3 (€ 25,00 + 21 % btw).
  await page.getByRole('radio', { name: '3 jaar' }).check();
  await expect(page.getByTestId('price-total')).toHaveText('€ 30,25');
  await expectAccessible(page);

  // Akkoord without the terms: the field says so, nothing is sent.
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByText('Vink aan dat u akkoord gaat met de voorwaarden.')).toBeVisible();
  await page.getByLabel('Ik heb de voorwaarden gelezen en ga ermee akkoord.').check();
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByRole('status')).toHaveText(
    `2 machtigingen voor ${user.name} zijn aangevraagd en direct actief. ${user.name} krijgt een e-mail.`,
  );

  // Active at once, in the overview: all services and the manager's right.
  await page.getByRole('link', { name: 'Naar Machtigingen' }).click();
  await filterOnUser(page, lastName);
  const table = page.getByRole('table', { name: 'Machtigingen' });
  await expect(table.getByRole('row').filter({ hasText: 'Alle diensten' })).toHaveCount(1);
  await expect(table.getByRole('row').filter({ hasText: 'Beheer van machtigingen' })).toHaveCount(1);
  await expect(table.getByRole('row').filter({ hasText: lastName }).filter({ hasText: 'Actief' })).toHaveCount(3);
});

test('a link request that the user accepts in another browser, then authorizations for the new organization', async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  // A user of Bakkerij De Vries only, to be linked to Berg Advies as well.
  const user = await createActiveUser(request, 'Lieke');
  await signInAsManager(page);
  await page.goto('/beheer/koppelverzoeken');
  await expect(page.getByRole('heading', { name: 'Koppelverzoeken', level: 1 })).toBeVisible();
  await page.getByLabel('Organisatie').selectOption({ label: 'Berg Advies V.O.F.' });
  await page.getByLabel('E-mailadres van de gebruiker').fill(user.email);
  await page.getByRole('button', { name: 'Koppelverzoek versturen' }).click();
  await expect(page.getByRole('status')).toContainText(`Het koppelverzoek voor ${user.email} is verstuurd.`);
  const open = page.getByRole('table', { name: 'Openstaande koppelverzoeken' });
  await expect(open.getByRole('row').filter({ hasText: user.email })).toContainText('Berg Advies V.O.F.');
  await expectAccessible(page);

  // The user, in a browser of their own, accepts under Mijn account.
  const theirs = await browser.newContext();
  const userPage = await theirs.newPage();
  await signInFully(userPage, user.username, user.password, user.mobile);
  await userPage.getByRole('link', { name: 'Mijn account' }).click();
  const requests = userPage.getByRole('region', { name: 'Koppelverzoeken' });
  await expect(requests).toContainText('Eva Jansen vraagt u te koppelen aan Berg Advies V.O.F.');
  await expectAccessible(userPage);
  await requests.getByRole('button', { name: 'Accepteren' }).click();
  await expect(userPage.getByRole('status')).toHaveText('U bent nu gekoppeld aan Berg Advies V.O.F.');
  await theirs.close();

  // No longer open; and the user is one of Berg's users to request authorizations for.
  await page.reload();
  await expect(page.getByText('Er staan geen koppelverzoeken open.').or(open.getByRole('row').filter({ hasText: user.email }))).toBeVisible();
  await expect(open.getByRole('row').filter({ hasText: user.email })).toHaveCount(0);
  await page.goto('/beheer/machtigingen/aanvragen');
  await page.getByLabel('Organisatie').selectOption({ label: 'Berg Advies V.O.F.' });
  await page.getByLabel('Zoek de gebruiker').fill(user.name.split(' ')[1]);
  await expect(page.getByRole('radio', { name: new RegExp(`^${user.name} · `) })).toBeVisible();
});

test('a request for a user of another organization waits for the link request and resumes from the e-mail once accepted', async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  // A user of Bakkerij De Vries only; the manager wants to give them authorizations at Berg Advies.
  const user = await createActiveUser(request, 'Joris');
  const lastName = user.name.split(' ')[1];
  await signInAsManager(page);
  await page.goto('/beheer/machtigingen/aanvragen');
  await page.getByLabel('Organisatie').selectOption({ label: 'Berg Advies V.O.F.' });
  await page.getByLabel('Toon niet-gekoppelde gebruikers').check();
  await page.getByLabel('Zoek de gebruiker').fill(lastName);
  await page.getByRole('button', { name: `Koppelverzoek versturen: ${user.name}` }).click();
  await expect(page.getByRole('status')).toContainText(
    `Het koppelverzoek aan ${user.name} is verstuurd. Zodra ${user.name} het accepteert, krijgt u een e-mail met een link die deze aanvraag voortzet`,
  );
  const mark = await mailboxMark(request);

  // The user accepts in a browser of their own.
  const theirs = await browser.newContext();
  const userPage = await theirs.newPage();
  await signInFully(userPage, user.username, user.password, user.mobile);
  await userPage.getByRole('link', { name: 'Mijn account' }).click();
  await userPage.getByRole('region', { name: 'Koppelverzoeken' }).getByRole('button', { name: 'Accepteren' }).click();
  await expect(userPage.getByRole('status')).toHaveText('U bent nu gekoppeld aan Berg Advies V.O.F.');
  await theirs.close();

  // The manager's e-mail links back to the request with Berg Advies and the user chosen.
  let link = '';
  await expect(async () => {
    const mail = (await mailboxMessages(request)).find(
      (m) => m.id > mark && m.subject === `${user.name} heeft de koppeling met Berg Advies V.O.F. geaccepteerd`,
    );
    link = mail?.body.match(/https?:\/\/\S+\/beheer\/machtigingen\/aanvragen\?\S+/)?.[0] ?? '';
    expect(link).not.toBe('');
  }).toPass();
  await page.goto(new URL(link).pathname + new URL(link).search);
  await expect(page.getByLabel('Organisatie')).toHaveValue(new URL(link).searchParams.get('organisatie')!);
  await expect(page.getByRole('radio', { name: new RegExp(`^${user.name} · ${user.email} · EH3$`) })).toBeChecked();
  await expect(page.getByRole('group', { name: '3. Betrouwbaarheidsniveau' })).toBeVisible();
  await expectAccessible(page);
  // And it completes: all services for a year, active at once.
  await page.getByLabel('Zoek een dienst').fill('alle');
  await page.getByRole('button', { name: /^Alle diensten kiezen/ }).click();
  await page.getByLabel('Ik heb de voorwaarden gelezen en ga ermee akkoord.').check();
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByRole('status')).toHaveText(
    `1 machtiging voor ${user.name} is aangevraagd en direct actief. ${user.name} krijgt een e-mail.`,
  );
});

test('ook beheerder worden when renewing: free, and the user then manages the organization', async ({ page, request }) => {
  test.setTimeout(90_000);
  const user = await createActiveUser(request, 'Mees');
  const lastName = user.name.split(' ')[1];
  await signInAsManager(page);
  await page.getByRole('link', { name: 'Machtigingen' }).click();
  const table = page.getByRole('table', { name: 'Machtigingen' });
  await filterOnUser(page, lastName);
  const row = table.getByRole('row').filter({ hasText: user.name });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: new RegExp(`^Verlengen: ${user.name}`) }).click();
  const panel = page.getByRole('region', { name: 'Machtigingen verlengen' });
  await expect(panel).toContainText('€ 18,15');
  await panel.getByRole('checkbox', { name: `Ook beheerder worden (gratis): ${user.name}, Bakkerij De Vries B.V.` }).check();
  // Free: the price stays the same.
  await expect(panel).toContainText('€ 18,15');
  await expectAccessible(page);
  await panel.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByText('1 machtiging is verlengd.')).toBeVisible();
  // The manager's right, active, and marked in the overview.
  await expect(table.getByRole('row').filter({ hasText: user.name }).filter({ hasText: 'Beheer van machtigingen' })).toContainText('Actief');
  // No longer offered.
  const login = table.getByRole('row').filter({ hasText: user.name }).filter({ hasNotText: 'Beheer van machtigingen' });
  await login.getByRole('button', { name: new RegExp(`^Verlengen: ${user.name}`) }).click();
  await expect(panel.getByRole('checkbox', { name: /^Ook beheerder worden/ })).toHaveCount(0);
});
