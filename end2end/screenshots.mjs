// Takes screenshots of every page at desktop (1280×800) and phone (360×640) size, in Dutch and
// in English, for people to look at:
//   node screenshots.mjs [base URL] [output folder]
// The folder defaults to docs/screenshots; files are named <language>-<size>-<what>.png.
// scripts/screenshots.sh starts a fresh server with the demo data and runs this script: it
// needs that fresh data (it submits one application per size with fixed e-mail addresses and
// mobile numbers, and the operator's final check must hold exactly what it made).
// Signs in as the demo manager and the demo operator with the codes from the development
// mailbox. Pages with an address of their own are opened by that address (not through the
// navigation, which a phone may fold behind a menu button).
import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const base = process.argv[2] || 'http://127.0.0.1:3000';
const out = process.argv[3] || fileURLToPath(new URL('../docs/screenshots', import.meta.url));
mkdirSync(out, { recursive: true });

const SIZES = [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 360, height: 640 }],
];
const MANAGER = { username: 'demo.beheerder', password: 'Welkom-Machtig1', mobile: '+31612345678' };
const OPERATOR = { username: 'demo.makelaar', password: 'Controle-2026!', mobile: '+31634567890' };
const NEW_PASSWORD = 'Nieuw-Wachtwoord7';

const browser = await chromium.launch({
  executablePath: execSync('command -v chromium').toString().trim(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

/** A full-page screenshot of `page` as `<lang>-<size>-<file>.png`. */
const shoot = (page, lang, size, file) => page.screenshot({ path: `${out}/${lang}-${size}-${file}.png`, fullPage: true });

/** Calls a server function as the page's browser would (with its session cookie). */
async function api(page, fn, body = {}) {
  const r = await page.request.post(`/api/${fn}`, { data: body });
  if (!r.ok()) throw new Error(`${fn}: ${r.status()} ${await r.text()}`);
  return r.json();
}

/** The id of the newest message in the development mailbox: take it before sending a code. */
async function mailboxMark(page) {
  return (await api(page, 'dev/mailbox')).reduce((max, m) => Math.max(max, m.id), 0);
}

/** The 6-digit code of the first SMS to `mobile` after message `mark` (waits for it). */
async function smsCode(page, mobile, mark) {
  for (let tries = 0; tries < 100; tries++) {
    const sms = (await api(page, 'dev/mailbox')).find((m) => m.channel === 'sms' && m.recipient === mobile && m.id > mark);
    // The last line is the one-time-code line "@host #123456", in either language.
    const code = sms?.body.match(/#(\d{6})\s*$/)?.[1];
    if (code) return code;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no SMS with a code to ${mobile} after message ${mark}`);
}

/** The personal link in the invitation e-mail to `email`, read from the mailbox page. */
async function invitationLink(context, email) {
  const inbox = await context.newPage();
  await inbox.goto('/dev/mailbox');
  const link = await inbox.getByRole('article', { name: `E-mail ${email}` }).first()
    .getByRole('link', { name: /\/uitnodiging\// }).getAttribute('href');
  await inbox.close();
  return link;
}

/**
 * Switches the language with the header's button, where the page is, and waits until the
 * page shows it (the choice is remembered in local storage for the pages opened after it). On a
 * phone the header may fold its tools behind a "Menu" button: then it is opened first and
 * closed again.
 */
async function switchLanguage(page, lang) {
  const button = page.getByRole('button', { name: lang === 'en' ? 'EN English' : 'NL Nederlands', exact: true });
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  const folded = !(await button.isVisible()) && (await menu.isVisible());
  if (folded) await menu.click();
  await button.click();
  await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
  if (folded && (await menu.getAttribute('aria-expanded')) === 'true') await menu.click();
}

/** Opens each [file, url, ready] in turn, waits for what shows once it has loaded, and shoots. */
async function visit(page, lang, size, pages) {
  for (const [file, url, ready] of pages) {
    await page.goto(url);
    await ready(page).waitFor();
    await shoot(page, lang, size, file);
  }
}

/**
 * Takes an invitation through the acceptance over the server functions up to the order, for a
 * user who is not employed: the identity verification then waits in the simulator.
 */
async function acceptAndOrder(page, token, mobile, username) {
  await api(page, 'acceptance/open', { token });
  await api(page, 'acceptance/confirm', { token });
  const mark = await mailboxMark(page);
  await api(page, 'acceptance/send_code', { token });
  const code = await smsCode(page, mobile, mark);
  await api(page, 'acceptance/verify_code', { token, code });
  await api(page, 'acceptance/credentials', { token, username, password: NEW_PASSWORD });
  await api(page, 'acceptance/order', { token });
}

// ---------------------------------------------------------------------------------------------
// The demo manager: every page and state in Dutch (the flows type and click Dutch labels), then
// every page with an address of its own again in English.

async function managerTour(size, viewport) {
  const context = await browser.newContext({ viewport, baseURL: base });
  const page = await context.newPage();
  const nl = (file) => shoot(page, 'nl', size, file);
  // Each size submits its own application: people with addresses and numbers of their own.
  const n = size === 'desktop' ? 0 : 1;
  const iris = { email: `iris.${size}@example.nl`, mobile: `061200000${1 + n * 2}` };
  const noor = { email: `noor.${size}@example.nl`, mobile: `061200001${n}` };
  const international = (mobile) => `+316${mobile.slice(2)}`;

  await page.goto('/inloggen');
  await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
  await nl('sign-in');
  await page.goto('/hulp/inloggen');
  await nl('help-sign-in');
  await page.goto('/inloggen');
  await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
  await page.getByLabel('Gebruikersnaam').fill(MANAGER.username);
  await page.getByLabel('Wachtwoord').fill(MANAGER.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Sms-code').waitFor();
  await nl('code');
  const mailbox = await context.newPage();
  await mailbox.goto('/dev/mailbox');
  const sms = mailbox.getByRole('article', { name: `Sms ${MANAGER.mobile}` }).first();
  await sms.waitFor();
  const code = (await sms.innerText()).match(/#(\d{6})/)[1];
  await shoot(mailbox, 'nl', size, 'mailbox');
  await mailbox.close();
  await page.getByLabel('Sms-code').fill(code);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByRole('table').waitFor();
  await nl('users');
  // Machtigingen: the overview, a revoke's confirmation and the renewal's summary.
  await page.goto('/beheer/machtigingen');
  await page.getByRole('table', { name: 'Machtigingen' }).waitFor();
  await nl('authorizations');
  await page.getByRole('button', { name: /^Intrekken: / }).first().click();
  await page.getByRole('group', { name: 'Machtiging intrekken?' }).waitFor();
  await nl('authorizations-revoke');
  await page.getByRole('button', { name: 'Annuleren' }).first().click();
  await page.getByRole('button', { name: /^Verlengen: / }).first().click();
  await page.getByRole('button', { name: 'Akkoord' }).waitFor();
  await nl('authorizations-renew');
  // Nieuwe machtigingen aanvragen, filled in up to the price and the summary; Koppelverzoeken.
  await page.goto('/beheer/machtigingen/aanvragen');
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByRole('radio', { name: /^Pieter van Dam · / }).check();
  await page.getByLabel('Zoek een dienst').fill('alle');
  await page.getByRole('button', { name: /^Alle diensten kiezen/ }).click();
  await page.getByTestId('price-total').waitFor();
  await nl('authorizations-request');
  await page.goto('/beheer/koppelverzoeken');
  await page.getByRole('heading', { name: 'Openstaande koppelverzoeken' }).waitFor();
  await nl('link-requests');
  await page.goto('/mijn-account');
  await page.getByRole('heading', { name: 'Mijn account' }).waitFor();
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('Welkom1');
  await nl('account');
  // The add-users wizard, step by step, from its first step whatever draft is left.
  await api(page, 'wizard/discard');
  await page.goto('/beheer/gebruikers/toevoegen');
  await page.getByRole('heading', { name: 'Organisatie en niveau' }).waitFor();
  await nl('wizard-1-organization');
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByRole('radio', { name: 'EH3' }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('KvK-nummer').fill('34123456');
  await page.getByRole('button', { name: 'Controleren' }).click();
  await page.getByText('Gevonden in het Handelsregister').waitFor();
  await nl('wizard-2-kvk');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await nl('wizard-3-organization-details');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('button', { name: 'Gebruiker toevoegen' }).click();
  await page.getByLabel('E-mailadres').fill('fout@');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await nl('wizard-4-user-form');
  await page.getByRole('button', { name: 'Annuleren' }).click();
  // Iris is employed (her login means is issued at once), Noor is not (she goes through the
  // identity verification to the operator's final check), Jan's row has mistakes.
  await page.getByLabel('CSV-bestand uploaden').setInputFiles({
    name: 'gebruikers.csv', mimeType: 'text/csv',
    buffer: Buffer.from('voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst\r\n' +
      `Iris;;Goed;${iris.email};${iris.mobile};01-01-1990;ja\r\n` +
      `Noor;;Bakker;${noor.email};${noor.mobile};15-06-1985;nee\r\n` +
      'Jan;;Fout;jan.fout@;0612000002;31-02-1990;nee\r\n'),
  });
  await page.getByRole('table', { name: 'Voorbeeld van het bestand' }).waitFor();
  await nl('wizard-4-csv-preview');
  await page.getByRole('button', { name: /Geldige rijen overnemen/ }).click();
  await page.getByRole('button', { name: 'Sluiten' }).click();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Zoek een dienst').fill('belasting');
  await page.getByRole('button', { name: 'Toevoegen Mijn Belastingdienst Zakelijk' }).click();
  await nl('wizard-5-authorizations');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await nl('wizard-6-summary');
  // Agree, then follow Iris's invitation through the acceptance on this screen size.
  await page.getByRole('checkbox', { name: 'Ik heb de voorwaarden gelezen en ga ermee akkoord.' }).check();
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await page.getByRole('link', { name: 'Naar Lopende aanvragen' }).waitFor();
  const irisLink = await invitationLink(context, iris.email);
  const noorLink = await invitationLink(context, noor.email);
  await page.goto(irisLink);
  await page.getByRole('heading', { name: 'Controleer uw gegevens' }).waitFor();
  await nl('accept-1-details');
  await page.getByRole('button', { name: 'Gegevens kloppen' }).click();
  await page.getByRole('heading', { name: 'Controleer uw mobiele nummer' }).waitFor();
  await nl('accept-2-mobile');
  const mark = await mailboxMark(page);
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Eenmalige code').waitFor();
  await page.getByLabel('Eenmalige code').fill('000000');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByText(/De code is onjuist/).waitFor();
  await nl('accept-3-code');
  await page.getByLabel('Eenmalige code').fill(await smsCode(page, international(iris.mobile), mark));
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Gebruikersnaam').waitFor();
  await page.getByLabel('Gebruikersnaam').fill(iris.email.split('@')[0]);
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Nieuw-wacht');
  await nl('accept-4-credentials');
  await page.getByLabel('Wachtwoord', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Herhaal nieuw wachtwoord').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('heading', { name: 'Controleer uw aanvraag' }).waitFor();
  await nl('accept-5-summary');
  await page.getByRole('button', { name: 'Bestel' }).click();
  await page.getByRole('heading', { name: 'Bedankt' }).waitFor();
  await nl('accept-6-done');
  await page.goto(irisLink);
  await page.getByRole('heading', { name: 'Deze link werkt niet' }).waitFor();
  await nl('accept-link-invalid');
  await page.goto('/beheer/lopende-aanvragen');
  await page.getByRole('heading', { name: 'Lopende aanvragen' }).waitFor();
  await nl('applications');
  await page.getByRole('table').getByRole('link').first().click();
  await page.getByText('Gegevens bevestigd').first().waitFor();
  const applicationUrl = new URL(page.url()).pathname;
  await nl('application-steps');
  await page.goto('/bestaat-niet');
  await page.getByRole('heading', { name: 'Pagina niet gevonden' }).waitFor();
  await nl('not-found');

  // The same pages in English, by their addresses (the wizard from its first step again). Noor's
  // invitation is still open here: its first step shows the acceptance in English.
  await switchLanguage(page, 'en');
  await api(page, 'wizard/discard');
  await visit(page, 'en', size, [
    ['users', '/beheer/gebruikers', (p) => p.getByRole('table', { name: 'Users' })],
    ['authorizations', '/beheer/machtigingen', (p) => p.getByRole('table', { name: 'Authorizations' })],
    ['authorizations-request', '/beheer/machtigingen/aanvragen',
      (p) => p.getByRole('heading', { name: 'Request new authorizations', level: 1 })],
    ['link-requests', '/beheer/koppelverzoeken', (p) => p.getByRole('heading', { name: 'Open link requests' })],
    ['account', '/mijn-account', (p) => p.getByRole('heading', { name: 'Change password' })],
    ['wizard-1-organization', '/beheer/gebruikers/toevoegen', (p) => p.getByRole('heading', { name: 'Organization and level' })],
    ['applications', '/beheer/lopende-aanvragen', (p) => p.getByRole('table', { name: 'Applications in progress' })],
    ['application-steps', applicationUrl, (p) => p.getByText('Details confirmed').first()],
    ['mailbox', '/dev/mailbox', (p) => p.getByRole('article').first()],
    ['accept-1-details', noorLink, (p) => p.getByRole('heading', { name: 'Check your details' })],
    ['accept-link-invalid', irisLink, (p) => p.getByRole('heading', { name: 'This link does not work' })],
    ['not-found', '/bestaat-niet', (p) => p.getByRole('heading', { name: 'Page not found' })],
  ]);

  // Noor accepts and orders, so the identity simulator has a verification to show, in both
  // languages; it passes, and she waits in the operator's final check.
  const token = noorLink.match(/\/uitnodiging\/([A-Za-z0-9_-]+)/)[1];
  await acceptAndOrder(page, token, international(noor.mobile), `noor.${size}`);
  await visit(page, 'en', size, [
    ['identity-simulator', '/dev/identiteit', (p) => p.getByRole('button', { name: 'Pass', exact: true }).first()],
  ]);
  await switchLanguage(page, 'nl');
  await page.getByRole('button', { name: 'Laten slagen' }).first().waitFor();
  await nl('identity-simulator');
  const verification = (await api(page, 'dev/verifications')).find((v) => v.email === noor.email);
  await api(page, 'dev/verification_result', { reference: verification.reference, passed: true });
  await context.close();
}

// ---------------------------------------------------------------------------------------------
// The demo operator signs in in English (the English sign-in, help and code pages), then shows
// the final check's queue and one item's details in English and in Dutch.

async function operatorTour(size, viewport) {
  const context = await browser.newContext({ viewport, baseURL: base });
  const page = await context.newPage();
  const en = (file) => shoot(page, 'en', size, file);
  const nl = (file) => shoot(page, 'nl', size, file);
  await page.goto('/help/sign-in');
  await page.getByRole('heading', { name: 'Help with signing in' }).waitFor();
  await en('help-sign-in');
  await page.goto('/inloggen');
  await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
  await switchLanguage(page, 'en');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await en('sign-in');
  await page.getByLabel('Username').fill(OPERATOR.username);
  await page.getByLabel('Password').fill(OPERATOR.password);
  const mark = await mailboxMark(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('SMS code').waitFor();
  await en('code');
  await page.getByLabel('SMS code').fill(await smsCode(page, OPERATOR.mobile, mark));
  await page.getByRole('button', { name: 'Confirm' }).click();
  // Signed in once the header holds "Sign out" (in the folded menu on a phone).
  await page.getByRole('button', { name: 'Sign out', includeHidden: true }).waitFor({ state: 'attached' });
  await page.goto('/beheer/eindcontrole');
  await page.getByRole('heading', { name: 'Final check', level: 1 }).waitFor();
  await page.getByRole('table').waitFor();
  await en('final-check');
  const item = await page.getByRole('table').getByRole('link').first().getAttribute('href');
  await page.goto(item);
  await page.getByRole('button', { name: 'Approve and issue' }).waitFor();
  await en('final-check-detail');
  await switchLanguage(page, 'nl');
  await page.getByRole('button', { name: 'Goedkeuren en uitgeven' }).waitFor();
  await nl('final-check-detail');
  await page.goto('/beheer/eindcontrole');
  await page.getByRole('heading', { name: 'Eindcontrole', level: 1 }).waitFor();
  await page.getByRole('table').waitFor();
  await nl('final-check');
  await context.close();
}

for (const [size, viewport] of SIZES) await managerTour(size, viewport);
for (const [size, viewport] of SIZES) await operatorTour(size, viewport);
await browser.close();
console.log(`Screenshots in ${out}`);
