import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { callApi, expectAccessible, signInAsManager, unique } from './helpers';

// Every run adds users of its own (unique e-mail addresses), so the tests run again on the
// same database and in any order.

const EXAMPLE_CSV = path.resolve(__dirname, '../fixtures/users-example.csv');

/**
 * The example file with every e-mail address made unique for this run (so its people are not
 * members yet). Worked on byte for byte (latin1 maps each byte to one character), so the
 * file's encoding, byte-order mark and line endings stay as they are.
 */
function exampleCsvWithUniqueEmails(stamp: string): { buffer: Buffer; emails: string[] } {
  const original = readFileSync(EXAMPLE_CSV).toString('latin1');
  const emails: string[] = [];
  const text = original.replace(/([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, (_all, local, domain) => {
    const email = `${local}.${stamp}@${domain}`;
    emails.push(email);
    return email;
  });
  expect(emails).toHaveLength(3);
  return { buffer: Buffer.from(text, 'latin1'), emails };
}

async function openWizard(page: Page) {
  await signInAsManager(page);
  // A draft left by an earlier test is cleared before the wizard loads, so no answer to a
  // click on "Opnieuw beginnen" can arrive after the test started choosing.
  await callApi(page.request, 'wizard/discard');
  await page.getByRole('link', { name: 'Gebruiker(s) toevoegen' }).click();
  await expect(page.getByRole('heading', { name: 'Gebruiker(s) toevoegen', level: 1 })).toBeVisible();
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
  const { stamp } = unique();
  // A Dutch mobile number of its own for each user, typed as people do.
  const mobile = () => `06 ${unique().stamp}`;
  const csv = exampleCsvWithUniqueEmails(stamp);
  const joost = csv.emails.find((e) => e.startsWith('joost.'))!;
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
  await form.getByLabel('Mobiel nummer').fill(mobile());
  await form.getByLabel('Geboortedatum (dd-mm-jjjj)').fill('28-02-1990');
  await form.getByRole('radio', { name: 'Ja' }).check();
  await form.getByRole('button', { name: 'Opslaan' }).click();
  await addByHand(page, 'Gert', 'de Wit', `gert.${stamp}@example.nl`, mobile(), true);
  await addByHand(page, 'Hanna', 'Mulder', `hanna.${stamp}@example.nl`, mobile(), false);
  await expect(page.getByRole('table', { name: 'Toegevoegde gebruikers (3)' })).toBeVisible();

  // The example file as a Dutch spreadsheet saves it (with this run's e-mail addresses).
  await page.getByLabel('CSV-bestand uploaden').setInputFiles({ name: 'users-example.csv', mimeType: 'text/csv', buffer: csv.buffer });
  await expect(page.getByText('3 rijen in orde, 0 met problemen.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Geldige rijen overnemen (3)' }).click();
  const users = page.getByRole('table', { name: 'Toegevoegde gebruikers (6)' });
  await expect(users).toBeVisible();
  await expect(users.getByRole('cell', { name: 'Joost van der Berg', exact: true })).toBeVisible();
  for (const email of csv.emails) await expect(users.getByRole('cell', { name: email, exact: true })).toBeVisible();

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
  // "Ook beheerder worden" for one of them: free, so the price stays.
  const managers = page.getByRole('group', { name: 'Ook beheerder worden (gratis)' });
  await managers.getByRole('checkbox', { name: 'Gert de Wit' }).check();
  await expect(total).toHaveText('€ 363,00');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Volgende' }).click();

  // Summary, terms, agree.
  await expect(page.getByRole('heading', { name: 'Overzicht en akkoord' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^Gert de Wit$/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Voorwaarden (versie 1)' })).toBeVisible();
  // Every user is listed, and nothing says some are left out.
  const userList = page.locator('details').filter({ hasText: 'Toon de 6 gebruikers' });
  await userList.getByText('Toon de 6 gebruikers').click();
  await expect(userList.getByRole('listitem')).toHaveCount(6);
  await expect(userList.getByText(/gebruikers getoond/)).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByText('Vink aan dat u akkoord gaat met de voorwaarden.')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Ik heb de voorwaarden gelezen en ga ermee akkoord.' }).check();

  // While "Akkoord" waits, the wizard says so and cannot be sent again; a refusal says that
  // nothing was sent. The server's answer is held back, then refused as it would be when busy.
  let answer: () => void = () => {};
  const answered = new Promise<void>((resolve) => { answer = resolve; });
  await page.route('**/api/wizard/submit', async (route) => {
    await answered;
    await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: 'unavailable' }) });
  });
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByRole('button', { name: 'Bezig met versturen…' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Vorige' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Opnieuw beginnen (alles wissen)' })).toBeDisabled();
  await expect(page.locator('section.wizard')).toHaveAttribute('aria-busy', 'true');
  answer();
  await expect(page.getByRole('alert').filter({ hasText: 'Er is niets verstuurd; probeer het opnieuw.' })).toBeVisible();
  await expect(page.locator('section.wizard')).toHaveAttribute('aria-busy', 'false');
  await page.unroute('**/api/wizard/submit');
  await page.getByRole('button', { name: 'Akkoord' }).click();
  await expect(page.getByRole('heading', { name: 'Aanvraag verstuurd' })).toBeVisible();

  // The invitations are in the mailbox, in each user's language.
  const mailbox = await page.context().newPage();
  await mailbox.goto('/dev/mailbox');
  const invitation = mailbox.getByRole('article', { name: `E-mail gert.${stamp}@example.nl` });
  await expect(invitation).toContainText('Bakkerij De Vries B.V. vraagt eHerkenning voor u aan');
  await expect(invitation.getByRole('link', { name: /\/uitnodiging\// })).toBeVisible();
  const joostsInvitation = mailbox.getByRole('article', { name: `E-mail ${joost}` });
  await expect(joostsInvitation).toHaveCount(1);
  await expect(joostsInvitation).toContainText('Bakkerij De Vries B.V. vraagt eHerkenning voor u aan');
  await mailbox.close();

  // Lopende aanvragen shows it; resend, correct and cancel.
  await page.getByRole('link', { name: 'Naar Lopende aanvragen' }).click();
  await expect(page.getByRole('heading', { name: 'Lopende aanvragen', level: 1 })).toBeVisible();
  await expect(page.getByRole('cell', { name: '6 uitgenodigd' }).first()).toBeVisible();
  await expectAccessible(page);
  // The filters (applications.spec.ts checks the organization filter with two organizations).
  const bakkerijCells = page.getByRole('cell', { name: 'Bakkerij De Vries B.V.', exact: true });
  await page.getByLabel('Organisatie').selectOption({ label: 'Berg Advies V.O.F.' });
  await expect(bakkerijCells).toHaveCount(0);
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByLabel('Status').selectOption({ label: 'Uitgenodigd' });
  await expect(page.getByRole('cell', { name: '6 uitgenodigd' }).first()).toBeVisible();
  // The newest application (one server, one worker): this test's.
  await page.getByRole('link', { name: /^Bekijken Bakkerij De Vries B.V./ }).first().click();
  await expect(page.getByRole('heading', { name: 'Aanvraag · Bakkerij De Vries B.V.' })).toBeVisible();
  await expect(page.getByRole('cell', { name: `gert.${stamp}@example.nl` })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Uitnodiging opnieuw versturen Gert de Wit' }).click();
  await expect(page.getByText('De uitnodiging is opnieuw verstuurd. De vorige link werkt niet meer.')).toBeVisible();

  await page.getByRole('button', { name: 'Corrigeren Hanna Mulder' }).click();
  await page.getByRole('textbox', { name: 'Mobiel nummer' }).fill('12');
  await page.getByRole('button', { name: 'Opslaan en opnieuw uitnodigen' }).click();
  await expect(page.getByText(/Vul een geldig mobiel nummer in/)).toBeVisible();
  await page.getByRole('textbox', { name: 'E-mailadres' }).fill(`hanna.mulder.${stamp}@example.nl`);
  await page.getByRole('textbox', { name: 'Mobiel nummer' }).fill(mobile());
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
  await expect(page.getByText('1 rij in orde, 5 met problemen.', { exact: false })).toBeVisible();
  const preview = page.getByRole('table', { name: 'Voorbeeld van het bestand' });
  await expect(preview.getByRole('row', { name: /Jan/ })).toContainText('Vul een geldig e-mailadres in');
  await expect(preview.getByRole('row', { name: /Naamloos/ })).toContainText('Voornaam: Vul dit veld in.');
  await expect(preview.getByRole('row', { name: /kees@example.nl/ })).toContainText('Vul een bestaande datum in');
  await expect(preview.getByRole('row', { name: /Dubbel/ })).toContainText('Komt al eerder voor in deze aanvraag.');
  await expect(preview.getByRole('row', { name: /Telefoon/ })).toContainText('Vul ja of nee in.');
  // A row's problems read as sentences of their own, never run together as ".;".
  await expect(preview.getByRole('row', { name: /Telefoon/ })).toContainText(/\. (Mobiel nummer|In loondienst): /);
  await expect(preview).not.toContainText('.;');
  await expectAccessible(page);

  // Correct two rows in place.
  await page.getByLabel('E-mailadres (regel 3)').fill('jan.fout@example.nl');
  await page.getByLabel('E-mailadres (regel 3)').press('Tab');
  await page.getByLabel('Voornaam (regel 4)').fill('Noor');
  await page.getByLabel('Voornaam (regel 4)').press('Tab');
  await expect(page.getByText('3 rijen in orde, 3 met problemen.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Geldige rijen overnemen (3)' }).click();
  await expect(page.getByRole('table', { name: 'Toegevoegde gebruikers (3)' })).toBeVisible();
  await expect(page.getByText('0 rijen in orde, 3 met problemen.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Sluiten' }).click();
  await expect(page.getByRole('table', { name: 'Toegevoegde gebruikers (3)' }).getByRole('cell', { name: 'jan.fout@example.nl' })).toBeVisible();
});

test("the wizard's Vorige goes back to the first step and forward again without losing anything", async ({ page }) => {
  const { stamp } = unique();
  const ilse = { first: 'Ilse', last: `Terug-${stamp}`, email: `ilse.${stamp}@example.nl`, mobile: `06 ${unique().stamp}` };
  const ruud = { first: 'Ruud', last: `Terug-${stamp}`, email: `ruud.${stamp}@example.nl`, mobile: `06 ${unique().stamp}` };
  const branch = '000056789001 · Berg Advies Utrecht (Utrecht)';
  await openWizard(page);

  // Forward, choosing what differs from every default.
  await page.getByLabel('Organisatie').selectOption({ label: 'Berg Advies V.O.F.' });
  await page.getByRole('radio', { name: 'EH2+' }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'KvK-nummer en vestiging' })).toBeVisible();
  await page.getByLabel('KvK-nummer').fill('56789012');
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByText('Gevonden in het Handelsregister: Berg Advies V.O.F.')).toBeVisible();
  await page.getByRole('radio', { name: 'Ja' }).check();
  await page.getByLabel('Vestiging').selectOption({ label: branch });
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Organisatiegegevens' })).toBeVisible();
  await expect(page.getByText(branch)).toBeVisible();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 2 })).toBeVisible();
  await addByHand(page, ilse.first, ilse.last, ilse.email, ilse.mobile, true);
  await addByHand(page, ruud.first, ruud.last, ruud.email, ruud.mobile, false);
  await expect(page.getByRole('table', { name: 'Toegevoegde gebruikers (2)' })).toBeVisible();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Machtigingen', level: 2 })).toBeVisible();
  await page.getByRole('radio', { name: '5 jaar' }).check();
  await page.getByLabel('Zoek een dienst').fill('rvo');
  await page.getByRole('button', { name: 'Toevoegen Mijn RVO', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Gekozen diensten (1)' })).toBeVisible();
  const total = page.getByTestId('price-total');
  await expect(total).toHaveText('€ 60,50'); // 2 x EUR 25 (EH2+, 5 years) + 21% VAT
  const price = await total.innerText();

  // Back to the first step, one step at a time, checking each.
  const back = page.getByRole('button', { name: 'Vorige' });
  await back.click();
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 2 })).toBeVisible();
  const users = page.getByRole('table', { name: 'Toegevoegde gebruikers (2)' });
  await expect(users.getByRole('cell', { name: ilse.email, exact: true })).toBeVisible();
  await expect(users.getByRole('cell', { name: ruud.email, exact: true })).toBeVisible();
  await back.click();
  await expect(page.getByRole('heading', { name: 'Organisatiegegevens' })).toBeVisible();
  await back.click();
  await expect(page.getByRole('heading', { name: 'KvK-nummer en vestiging' })).toBeVisible();
  await back.click();
  await expect(page.getByRole('heading', { name: 'Organisatie en niveau' })).toBeVisible();
  await expect(page.getByLabel('Organisatie').getByRole('option', { name: 'Berg Advies V.O.F.', selected: true })).toHaveCount(1);
  await expect(page.getByRole('radio', { name: 'EH2+' })).toBeChecked();

  // And forward again: everything chosen and entered is still there.
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'KvK-nummer en vestiging' })).toBeVisible();
  await expect(page.getByLabel('KvK-nummer')).toHaveValue('56789012');
  await expect(page.getByText('Gevonden in het Handelsregister: Berg Advies V.O.F.')).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Ja' })).toBeChecked();
  await expect(page.getByLabel('Vestiging').getByRole('option', { name: branch, selected: true })).toHaveCount(1);
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Organisatiegegevens' })).toBeVisible();
  await expect(page.getByText('Stationsplein 3, 3511 ED Utrecht')).toBeVisible();
  await expect(page.getByText(branch)).toBeVisible();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(users).toBeVisible();
  await expect(users.getByRole('cell', { name: `${ilse.first} ${ilse.last}`, exact: true })).toBeVisible();
  await expect(users.getByRole('cell', { name: ruud.email, exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Machtigingen', level: 2 })).toBeVisible();
  await expect(page.getByRole('radio', { name: '5 jaar' })).toBeChecked();
  await expect(page.getByRole('heading', { name: 'Gekozen diensten (1)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Verwijderen Mijn RVO (RVO)' })).toBeVisible();
  await expect(total).toHaveText(price);

  // Leave no draft behind: with users entered, it asks first.
  await page.getByRole('button', { name: 'Opnieuw beginnen (alles wissen)' }).click();
  await page.getByRole('group', { name: 'Opnieuw beginnen?' }).getByRole('button', { name: 'Ja, alles wissen' }).click();
  await expect(page.getByRole('heading', { name: 'Organisatie en niveau' })).toBeVisible();
});

test('"Opnieuw beginnen" asks first once users were entered, and says what is lost', async ({ page }) => {
  const { stamp } = unique();
  const startOver = page.getByRole('button', { name: 'Opnieuw beginnen (alles wissen)' });
  const confirm = page.getByRole('group', { name: 'Opnieuw beginnen?' });
  await openWizard(page);
  await throughOrganizationSteps(page);

  // No users yet: it starts over at once.
  await startOver.click();
  await expect(page.getByRole('heading', { name: 'Organisatie en niveau' })).toBeVisible();
  await expect(confirm).toHaveCount(0);

  // With a user it asks, saying what would be lost; Annuleren keeps everything.
  await throughOrganizationSteps(page);
  await addByHand(page, 'Wim', `Wissen-${stamp}`, `wim.${stamp}@example.nl`, `06 ${unique().stamp}`, true);
  await startOver.click();
  await expect(confirm).toContainText('Alle ingevulde gegevens en 1 gebruiker worden gewist.');
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 2 })).toBeVisible();
  await expectAccessible(page);
  await confirm.getByRole('button', { name: 'Annuleren' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(startOver).toBeFocused();
  const users = page.getByRole('table', { name: 'Toegevoegde gebruikers (1)' });
  await expect(users.getByRole('cell', { name: `wim.${stamp}@example.nl`, exact: true })).toBeVisible();

  // "Ja, alles wissen" clears it all.
  await startOver.click();
  await confirm.getByRole('button', { name: 'Ja, alles wissen' }).click();
  await expect(page.getByRole('heading', { name: 'Organisatie en niveau' })).toBeVisible();
  await expect(confirm).toHaveCount(0);
  await throughOrganizationSteps(page);
  await expect(page.getByText('Nog geen gebruikers toegevoegd.')).toBeVisible();
});

test('the summary of a long list says how many users it shows, and shows all on request', async ({ page }) => {
  const { stamp } = unique();
  const count = 120;
  // Names of letters only: 7 becomes "aah".
  const letters = (i: number) => i.toString().padStart(3, '0').split('').map((d) => 'abcdefghij'[Number(d)]).join('');
  const rows = Array.from({ length: count }, (_, i) =>
    `Reeks;;Lid-${letters(i)};reeks.${i}.${stamp}@example.nl;0612${i.toString().padStart(6, '0')};01-01-1990;ja`);
  const csv = ['voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst', ...rows].join('\r\n');
  await openWizard(page);
  await throughOrganizationSteps(page);
  await page.getByLabel('CSV-bestand uploaden').setInputFiles({
    name: 'reeks.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1'),
  });
  await expect(page.getByText(`${count} rijen in orde, 0 met problemen.`, { exact: false })).toBeVisible();
  await page.getByRole('button', { name: `Geldige rijen overnemen (${count})` }).click();
  await expect(page.getByRole('table', { name: `Toegevoegde gebruikers (${count})` })).toBeVisible();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Machtigingen', level: 2 })).toBeVisible();
  await page.getByRole('group', { name: 'Wilt u direct machtigingen toevoegen?' }).getByRole('radio', { name: 'Nee' }).check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Overzicht en akkoord' })).toBeVisible();

  const userList = page.locator('details').filter({ hasText: `Toon de ${count} gebruikers` });
  await userList.getByText(`Toon de ${count} gebruikers`).click();
  await expect(userList.getByText(`100 van ${count} gebruikers getoond.`)).toBeVisible();
  await expect(userList.getByRole('listitem')).toHaveCount(100);
  await expectAccessible(page);
  await userList.getByRole('button', { name: 'Toon alle gebruikers' }).click();
  await expect(userList.getByRole('listitem')).toHaveCount(count);
  await expect(userList.getByText(/gebruikers getoond/)).toHaveCount(0);
  await expect(userList.getByText(`reeks.${count - 1}.${stamp}@example.nl`, { exact: false })).toBeVisible();
});

test('a file that cannot be read as CSV says so at the upload field', async ({ page }) => {
  await openWizard(page);
  await throughOrganizationSteps(page);
  const upload = page.getByLabel('CSV-bestand uploaden');
  const unreadable = 'Dit bestand kunnen we niet lezen. Kies een CSV-bestand: sla het in Excel op als "CSV (gescheiden door lijstscheidingsteken)".';

  // An Excel workbook (a zip file) chosen by mistake.
  await upload.setInputFiles({
    name: 'gebruikers.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.alloc(256, 0)]),
  });
  await expect(page.getByText(unreadable)).toBeVisible();
  await expect(upload).toHaveAccessibleDescription(new RegExp(unreadable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect(page.getByRole('table', { name: 'Voorbeeld van het bestand' })).toHaveCount(0);
  await expectAccessible(page);

  // Bytes that are no text at all.
  await upload.setInputFiles({
    name: 'gebruikers.csv', mimeType: 'text/csv',
    buffer: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 32)),
  });
  await expect(page.getByText(unreadable)).toBeVisible();

  // An empty file.
  await upload.setInputFiles({ name: 'leeg.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
  await expect(page.getByText('Het bestand bevat geen gebruikers.')).toBeVisible();
  await expect(page.getByText(unreadable)).toHaveCount(0);

  // A good file afterwards works as ever, and the message is gone.
  const csv = [
    'voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst',
    `Iris;;Goed;iris.goed.${unique().stamp}@example.nl;0612000001;01-01-1990;ja`,
  ].join('\r\n');
  await upload.setInputFiles({ name: 'gebruikers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1') });
  await expect(page.getByText('1 rij in orde, 0 met problemen.', { exact: false })).toBeVisible();
  await expect(page.getByText('Het bestand bevat geen gebruikers.')).toHaveCount(0);
});
