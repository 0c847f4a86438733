import { test, expect, Page } from '@playwright/test';
import path from 'node:path';
import { expectAccessible, signInAsManager } from './helpers';

// Runs after users.spec.ts (file order): it adds users to the demo organizations.

const EXAMPLE_CSV = path.resolve(__dirname, '../../../shared/data/users-example.csv');

async function openWizard(page: Page) {
  await signInAsManager(page);
  await page.getByRole('link', { name: 'Gebruiker(s) toevoegen' }).click();
  await expect(page.getByRole('heading', { name: 'Gebruiker(s) toevoegen', level: 1 })).toBeVisible();
  // A draft left by an earlier test run is cleared.
  await page.getByRole('button', { name: 'Opnieuw beginnen (alles wissen)' }).click();
  await expect(page.getByRole('heading', { name: 'Organisatie en niveau' })).toBeVisible();
}

async function throughOrganizationSteps(page: Page, checkAccessibility = false) {
  if (checkAccessibility) await expectAccessible(page);
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await expect(page.getByRole('radio', { name: 'EH4' })).toHaveCount(0); // above the manager's own
  await page.getByRole('radio', { name: 'EH3' }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();

  await expect(page.getByRole('heading', { name: 'KvK-nummer en vestiging' })).toBeVisible();
  await page.getByLabel('KvK-nummer').fill('56789012');
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByText('Dit KvK-nummer hoort niet bij de gekozen organisatie.')).toBeVisible();
  await page.getByLabel('KvK-nummer').fill('34123456');
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByText('Gevonden in het Handelsregister: Bakkerij De Vries B.V.')).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Nee (aanbevolen)' })).toBeChecked();
  await expect(page.getByText(/Belastingdienst en UWV\) niet inloggen/)).toBeVisible();
  if (checkAccessibility) await expectAccessible(page);
  await page.getByRole('button', { name: 'Volgende' }).click();

  await expect(page.getByRole('heading', { name: 'Organisatiegegevens' })).toBeVisible();
  await expect(page.getByText('Dorpsstraat 12, 1234 AB Amsterdam')).toBeVisible();
  await expect(page.getByText('Alle vestigingen')).toBeVisible();
  if (checkAccessibility) await expectAccessible(page);
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 2 })).toBeVisible();
}

async function addByHand(page: Page, first: string, last: string, email: string, mobile: string, employed: boolean) {
  await page.getByRole('button', { name: 'Gebruiker toevoegen' }).click();
  const form = page.getByRole('form', { name: 'Gebruiker toevoegen' });
  await form.getByLabel('Voornaam').fill(first);
  await form.getByLabel('Achternaam').fill(last);
  await form.getByLabel('E-mailadres').fill(email);
  await form.getByLabel('Mobiel nummer').fill(mobile);
  await form.getByLabel('Geboortedatum (dd-mm-jjjj)').fill('01-02-1985');
  await form.getByRole('radio', { name: employed ? 'Ja' : 'Nee' }).check();
  await form.getByRole('button', { name: 'Opslaan' }).click();
  await expect(form).toHaveCount(0);
}

test('a manager adds users by hand and by CSV, sees the price follow, agrees, and follows the application', async ({ page }) => {
  const stamp = Date.now().toString().slice(-6);
  await openWizard(page);
  await throughOrganizationSteps(page, true);

  // A typo is caught at its field, and nothing typed is lost.
  await page.getByRole('button', { name: 'Gebruiker toevoegen' }).click();
  const form = page.getByRole('form', { name: 'Gebruiker toevoegen' });
  await form.getByLabel('Voornaam').fill('Fleur');
  await form.getByLabel('Achternaam').fill('Visser');
  await form.getByLabel('E-mailadres').fill('fleur.visser@');
  await form.getByLabel('Mobiel nummer').fill('06 1234');
  await form.getByLabel('Geboortedatum (dd-mm-jjjj)').fill('31-02-1990');
  await form.getByRole('button', { name: 'Opslaan' }).click();
  await expect(form.getByText('Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.')).toBeVisible();
  await expect(form.getByText(/Vul een geldig mobiel nummer in/)).toBeVisible();
  await expect(form.getByText('Vul een bestaande datum in als dd-mm-jjjj.')).toBeVisible();
  await expect(form.getByLabel('Voornaam')).toHaveValue('Fleur');
  await expectAccessible(page);
  await form.getByLabel('E-mailadres').fill(`fleur.visser.${stamp}@example.nl`);
  await form.getByLabel('Mobiel nummer').fill(`06 71${stamp}`);
  await form.getByLabel('Geboortedatum (dd-mm-jjjj)').fill('28-02-1990');
  await form.getByRole('radio', { name: 'Ja' }).check();
  await form.getByRole('button', { name: 'Opslaan' }).click();
  await addByHand(page, 'Gert', 'de Wit', `gert.${stamp}@example.nl`, `06 72${stamp}`, true);
  await addByHand(page, 'Hanna', 'Mulder', `hanna.${stamp}@example.nl`, `06 73${stamp}`, false);
  await expect(page.getByRole('table', { name: 'Toegevoegde gebruikers (3)' })).toBeVisible();

  // The example file as a Dutch spreadsheet saves it.
  await page.getByLabel('CSV-bestand uploaden').setInputFiles(EXAMPLE_CSV);
  await expect(page.getByText('3 rij(en) in orde, 0 met problemen.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Geldige rijen overnemen (3)' }).click();
  const users = page.getByRole('table', { name: 'Toegevoegde gebruikers (6)' });
  await expect(users).toBeVisible();
  await expect(users.getByRole('cell', { name: 'Joost van der Berg', exact: true })).toBeVisible();

  // A reload keeps everything: the draft lives on the server.
  await expect(page.getByText('Concept opgeslagen')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('table', { name: 'Toegevoegde gebruikers (6)' })).toBeVisible();
  await page.getByRole('button', { name: 'Volgende' }).click();

  // Authorizations with a live price: 6 users.
  await expect(page.getByRole('heading', { name: 'Machtigingen', level: 2 })).toBeVisible();
  await page.getByLabel('Zoek een dienst').fill('belasting');
  await page.getByRole('button', { name: 'Toevoegen Mijn Belastingdienst Zakelijk' }).click();
  const total = page.getByTestId('price-total');
  await expect(total).toHaveText('€ 108,90'); // 6 x EUR 15 + 21% VAT
  await page.getByRole('radio', { name: '3 jaar' }).check();
  await expect(total).toHaveText('€ 181,50'); // 6 x EUR 25 + VAT
  await page.getByLabel('Zoek een dienst').fill('douane');
  await page.getByRole('button', { name: 'Toevoegen Douane aangifte en vergunningen' }).click();
  await expect(total).toHaveText('€ 363,00'); // 12 x EUR 25 + VAT
  await expect(page.getByText('Btw 21%')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Volgende' }).click();

  // Summary, terms, agree.
  await expect(page.getByRole('heading', { name: 'Overzicht en akkoord' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Voorwaarden (versie 1)' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByText('Vink aan dat u akkoord gaat met de voorwaarden.')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Ik heb de voorwaarden gelezen en ga ermee akkoord.' }).check();
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByRole('heading', { name: 'Aanvraag verstuurd' })).toBeVisible();

  // The invitations are in the mailbox, in each user's language.
  const mailbox = await page.context().newPage();
  await mailbox.goto('/dev/mailbox');
  const invitation = mailbox.getByRole('article', { name: `E-mail gert.${stamp}@example.nl` });
  await expect(invitation).toContainText('Bakkerij De Vries B.V. vraagt eHerkenning voor u aan');
  await expect(invitation.getByRole('link', { name: /\/uitnodiging\// })).toBeVisible();
  await expect(mailbox.getByRole('article', { name: 'E-mail joost@berg-advies.nl' }).first()).toBeVisible();
  await mailbox.close();

  // Lopende aanvragen shows it; resend, correct and cancel.
  await page.getByRole('link', { name: 'Naar Lopende aanvragen' }).click();
  await expect(page.getByRole('heading', { name: 'Lopende aanvragen', level: 1 })).toBeVisible();
  await expect(page.getByRole('cell', { name: '6 uitgenodigd' }).first()).toBeVisible();
  await expectAccessible(page);
  // The filters: another organization has no applications.
  await page.getByLabel('Organisatie').selectOption({ label: 'Berg Advies V.O.F.' });
  await expect(page.getByText('Geen aanvragen gevonden.')).toBeVisible();
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByLabel('Status').selectOption({ label: 'Uitgenodigd' });
  await expect(page.getByRole('cell', { name: '6 uitgenodigd' }).first()).toBeVisible();
  await page.getByRole('link', { name: /^Bekijken Bakkerij De Vries B.V./ }).first().click();
  await expect(page.getByRole('heading', { name: 'Aanvraag · Bakkerij De Vries B.V.' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Uitnodiging opnieuw versturen Gert de Wit' }).click();
  await expect(page.getByText('De uitnodiging is opnieuw verstuurd. De vorige link werkt niet meer.')).toBeVisible();

  await page.getByRole('button', { name: 'Corrigeren Hanna Mulder' }).click();
  await page.getByRole('textbox', { name: 'Mobiel nummer' }).fill('12');
  await page.getByRole('button', { name: 'Opslaan en opnieuw uitnodigen' }).click();
  await expect(page.getByText(/Vul een geldig mobiel nummer in/)).toBeVisible();
  await page.getByRole('textbox', { name: 'E-mailadres' }).fill(`hanna.mulder.${stamp}@example.nl`);
  await page.getByRole('textbox', { name: 'Mobiel nummer' }).fill(`06 74${stamp}`);
  await page.getByRole('button', { name: 'Opslaan en opnieuw uitnodigen' }).click();
  await expect(page.getByText('De gegevens zijn gecorrigeerd en er is een nieuwe uitnodiging verstuurd.')).toBeVisible();
  await expect(page.getByRole('cell', { name: `hanna.mulder.${stamp}@example.nl` })).toBeVisible();

  await page.getByRole('button', { name: 'Annuleren Fleur Visser' }).click();
  await page.getByRole('button', { name: 'Ja, annuleren' }).click();
  await expect(page.getByText('De aanvraag voor deze gebruiker is geannuleerd.')).toBeVisible();
  const fleur = page.getByRole('row', { name: /Fleur Visser/ });
  await expect(fleur.getByText('Geannuleerd')).toBeVisible();

  const mailbox2 = await page.context().newPage();
  await mailbox2.goto('/dev/mailbox');
  await expect(mailbox2.getByRole('article', { name: `E-mail hanna.mulder.${stamp}@example.nl` })).toBeVisible();
  await expect(mailbox2.getByRole('article', { name: `E-mail gert.${stamp}@example.nl` })).toHaveCount(2);
  await mailbox2.close();
});

test('the CSV preview shows broken rows, which are corrected in place and taken over', async ({ page }) => {
  await openWizard(page);
  await throughOrganizationSteps(page);
  const csv = [
    'voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst',
    'Iris;;Goed;iris.goed@example.nl;0612000001;01-01-1990;ja',
    'Jan;;Fout;jan.fout@;0612000002;01-01-1990;nee',
    ';;Naamloos;naamloos@example.nl;0612000003;01-01-1990;ja',
    'Kees;;Datum;kees@example.nl;0612000004;31-13-1990;ja',
    'Dubbel;;Iris;IRIS.GOED@example.nl;0612000005;01-01-1990;ja',
    'Lot;;Telefoon;lot@example.nl;12345;01-01-1990;misschien',
  ].join('\r\n');
  await page.getByLabel('CSV-bestand uploaden').setInputFiles({
    name: 'gebruikers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1'),
  });
  await expect(page.getByText('1 rij(en) in orde, 5 met problemen.', { exact: false })).toBeVisible();
  const preview = page.getByRole('table', { name: 'Voorbeeld van het bestand' });
  await expect(preview.getByRole('row', { name: /Jan/ })).toContainText('Vul een geldig e-mailadres in');
  await expect(preview.getByRole('row', { name: /Naamloos/ })).toContainText('Voornaam: Vul dit veld in.');
  await expect(preview.getByRole('row', { name: /kees@example.nl/ })).toContainText('Vul een bestaande datum in');
  await expect(preview.getByRole('row', { name: /Dubbel/ })).toContainText('Komt al eerder voor in deze aanvraag.');
  await expect(preview.getByRole('row', { name: /Telefoon/ })).toContainText('Vul ja of nee in.');
  await expectAccessible(page);

  // Correct two rows in place.
  await page.getByLabel('E-mailadres (regel 3)').fill('jan.fout@example.nl');
  await page.getByLabel('E-mailadres (regel 3)').press('Tab');
  await page.getByLabel('Voornaam (regel 4)').fill('Noor');
  await page.getByLabel('Voornaam (regel 4)').press('Tab');
  await expect(page.getByText('3 rij(en) in orde, 3 met problemen.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Geldige rijen overnemen (3)' }).click();
  await expect(page.getByRole('table', { name: 'Toegevoegde gebruikers (3)' })).toBeVisible();
  await expect(page.getByText('0 rij(en) in orde, 3 met problemen.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Sluiten' }).click();
  await expect(page.getByRole('table', { name: 'Toegevoegde gebruikers (3)' }).getByRole('cell', { name: 'jan.fout@example.nl' })).toBeVisible();
});
