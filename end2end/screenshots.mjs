// Takes screenshots of every page at desktop and phone size, for people to look at:
//   node screenshots.mjs [base URL] [output folder]
// Signs in as the demo manager with the code from the development mailbox.
import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';

const base = process.argv[2] || 'http://127.0.0.1:3000';
const out = process.argv[3] || '../docs/screenshots';
const browser = await chromium.launch({
  executablePath: execSync('command -v chromium').toString().trim(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 360, height: 640 }]]) {
  const context = await browser.newContext({ viewport, baseURL: base });
  const page = await context.newPage();
  const irisMobile = name === 'desktop' ? '0612000001' : '0612000003';
  const shot = (file) => page.screenshot({ path: `${out}/${name}-${file}.png`, fullPage: true });
  await page.goto('/inloggen');
  await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
  await shot('sign-in');
  await page.goto('/hulp/inloggen');
  await shot('help-sign-in');
  await page.goto('/inloggen');
  await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
  await page.getByLabel('Gebruikersnaam').fill('demo.beheerder');
  await page.getByLabel('Wachtwoord').fill('Welkom-Machtig1');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Sms-code').waitFor();
  await shot('code');
  const mailbox = await context.newPage();
  await mailbox.goto('/dev/mailbox');
  const sms = mailbox.getByRole('article', { name: 'Sms +31612345678' }).first();
  await sms.waitFor();
  const code = (await sms.innerText()).match(/#(\d{6})/)[1];
  await mailbox.screenshot({ path: `${out}/${name}-mailbox.png`, fullPage: true });
  await mailbox.close();
  await page.getByLabel('Sms-code').fill(code);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByRole('table').waitFor();
  await shot('users');
  // Machtigingen: the overview, a revoke's confirmation and the renewal's summary.
  await page.goto('/beheer/machtigingen');
  await page.getByRole('table', { name: 'Machtigingen' }).waitFor();
  await shot('authorizations');
  await page.getByRole('button', { name: /^Intrekken: / }).first().click();
  await page.getByRole('group', { name: 'Machtiging intrekken?' }).waitFor();
  await shot('authorizations-revoke');
  await page.getByRole('button', { name: 'Annuleren' }).first().click();
  await page.getByRole('button', { name: /^Verlengen: / }).first().click();
  await page.getByRole('button', { name: 'Akkoord' }).waitFor();
  await shot('authorizations-renew');
  await page.getByRole('button', { name: 'EN English' }).click();
  await page.getByRole('heading', { name: 'Authorizations', level: 1 }).waitFor();
  await shot('authorizations-en');
  await page.getByRole('button', { name: 'NL Nederlands' }).click();
  // Nieuwe machtigingen aanvragen, filled in up to the price and the summary; Koppelverzoeken.
  await page.goto('/beheer/machtigingen/aanvragen');
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByRole('radio', { name: /^Pieter van Dam · / }).check();
  await page.getByLabel('Zoek een dienst').fill('alle');
  await page.getByRole('button', { name: /^Alle diensten kiezen/ }).click();
  await page.getByTestId('price-total').waitFor();
  await shot('authorizations-request');
  await page.goto('/beheer/koppelverzoeken');
  await page.getByRole('heading', { name: 'Openstaande koppelverzoeken' }).waitFor();
  await shot('link-requests');
  await page.goto('/mijn-account');
  await page.getByRole('heading', { name: 'Mijn account' }).waitFor();
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('Welkom1');
  await shot('account');
  // The add-users wizard, step by step, and Lopende aanvragen.
  await page.goto('/beheer/gebruikers/toevoegen');
  await page.getByRole('button', { name: 'Opnieuw beginnen (alles wissen)' }).click();
  await page.getByRole('heading', { name: 'Organisatie en niveau' }).waitFor();
  await shot('wizard-1-organization');
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByRole('radio', { name: 'EH3' }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('KvK-nummer').fill('34123456');
  await page.getByRole('button', { name: 'Controleren' }).click();
  await page.getByText('Gevonden in het Handelsregister').waitFor();
  await shot('wizard-2-kvk');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await shot('wizard-3-organization-details');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('button', { name: 'Gebruiker toevoegen' }).click();
  await page.getByLabel('E-mailadres').fill('fout@');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await shot('wizard-4-user-form');
  await page.getByRole('button', { name: 'Annuleren' }).click();
  await page.getByLabel('CSV-bestand uploaden').setInputFiles({
    name: 'gebruikers.csv', mimeType: 'text/csv',
    buffer: Buffer.from('voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst\r\n' +
      `Iris;;Goed;iris.${name}@example.nl;${irisMobile};01-01-1990;ja\r\nJan;;Fout;jan.fout@;0612000002;31-02-1990;nee\r\n`),
  });
  await page.getByRole('table', { name: 'Voorbeeld van het bestand' }).waitFor();
  await shot('wizard-4-csv-preview');
  await page.getByRole('button', { name: /Geldige rijen overnemen/ }).click();
  await page.getByRole('button', { name: 'Sluiten' }).click();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Zoek een dienst').fill('belasting');
  await page.getByRole('button', { name: 'Toevoegen Mijn Belastingdienst Zakelijk' }).click();
  await shot('wizard-5-authorizations');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await shot('wizard-6-summary');
  // Agree, then follow Iris's invitation through the acceptance on this screen size.
  const iris = `iris.${name}@example.nl`;
  await page.getByRole('checkbox', { name: 'Ik heb de voorwaarden gelezen en ga ermee akkoord.' }).check();
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await page.getByRole('link', { name: 'Naar Lopende aanvragen' }).waitFor();
  const inbox = await context.newPage();
  await inbox.goto('/dev/mailbox');
  const link = await inbox.getByRole('article', { name: `E-mail ${iris}` }).first()
    .getByRole('link', { name: /\/uitnodiging\// }).getAttribute('href');
  await page.goto(link);
  await page.getByRole('heading', { name: 'Controleer uw gegevens' }).waitFor();
  await shot('accept-1-details');
  await page.getByRole('button', { name: 'Gegevens kloppen' }).click();
  await page.getByRole('heading', { name: 'Controleer uw mobiele nummer' }).waitFor();
  await shot('accept-2-mobile');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Eenmalige code').waitFor();
  await page.getByLabel('Eenmalige code').fill('000000');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByText(/De code is onjuist/).waitFor();
  await shot('accept-3-code');
  await inbox.reload();
  const accept = (await inbox.getByRole('article', { name: `Sms +316${irisMobile.slice(2)}` }).first().innerText()).match(/bevestigingscode is (\d{6})/)[1];
  await page.getByLabel('Eenmalige code').fill(accept);
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Gebruikersnaam').waitFor();
  await page.getByLabel('Gebruikersnaam').fill(iris.split('@')[0]);
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Nieuw-wacht');
  await shot('accept-4-credentials');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Nieuw-Wachtwoord7');
  await page.getByLabel('Herhaal nieuw wachtwoord').fill('Nieuw-Wachtwoord7');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('heading', { name: 'Controleer uw aanvraag' }).waitFor();
  await shot('accept-5-summary');
  await page.getByRole('button', { name: 'Bestel' }).click();
  await page.getByRole('heading', { name: 'Bedankt' }).waitFor();
  await shot('accept-6-done');
  await page.goto(link);
  await page.getByRole('heading', { name: 'Deze link werkt niet' }).waitFor();
  await shot('accept-link-invalid');
  await inbox.close();
  await page.goto('/beheer/lopende-aanvragen');
  await page.getByRole('heading', { name: 'Lopende aanvragen' }).waitFor();
  await shot('applications');
  await page.getByRole('table').getByRole('link').first().click();
  await page.getByText('Gegevens bevestigd').first().waitFor();
  await shot('application-steps');
  await page.goto('/dev/identiteit');
  await page.getByRole('heading', { name: 'Identificatiesimulator' }).waitFor();
  await shot('identity-simulator');
  await context.close();
}
// The operator's final-check queue.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: base });
  const page = await context.newPage();
  await page.goto('/inloggen');
  await page.getByLabel('Gebruikersnaam').fill('demo.makelaar');
  await page.getByLabel('Wachtwoord').fill('Controle-2026!');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Sms-code').waitFor();
  const inbox = await context.newPage();
  await inbox.goto('/dev/mailbox');
  const sms = (await inbox.getByRole('article', { name: 'Sms +31634567890' }).first().innerText()).match(/#(\d{6})/)[1];
  await inbox.close();
  await page.getByLabel('Sms-code').fill(sms);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByRole('link', { name: 'Eindcontrole' }).click();
  await page.getByRole('heading', { name: 'Eindcontrole', level: 1 }).waitFor();
  await page.screenshot({ path: `${out}/desktop-final-check.png`, fullPage: true });
  await context.close();
}
await browser.close();
