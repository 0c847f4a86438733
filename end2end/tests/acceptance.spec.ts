import { test, expect, Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import {
  acceptanceCode,
  applyFor,
  expectAccessible,
  invitationLink,
  mailboxMark,
  NEW_PASSWORD,
  signInAsOperator,
  signInFully,
  signInWithPassword,
  sqlOnTestDatabase,
  unique,
} from './helpers';

// The new user's acceptance on a phone (runs in the Pixel 7 and iPhone projects): from the
// invitation in the development mailbox to "Afsluiten", then signing in to Mijn account.

async function expectNoSidewaysScroll(page: Page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
}

/** Details, mobile, code and credentials, up to the summary, on the phone's pages. */
async function acceptOnThePhoneUpToSummary(page: Page, link: string, mobile: string, username: string) {
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Controleer uw gegevens' })).toBeVisible();
  await expect(page.getByText('Stap 1 van 6')).toBeVisible();
  await expect(page.getByText('Bakkerij De Vries B.V. (KvK 34123456)')).toBeVisible();
  await expect(page.getByText('EH3', { exact: true })).toBeVisible();
  await expect(page.getByText('3 jaar')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.getByRole('button', { name: 'Gegevens kloppen' }).click();

  await expect(page.getByRole('heading', { name: 'Controleer uw mobiele nummer' })).toBeVisible();
  await expect(page.getByText(mobile, { exact: true })).toBeVisible();
  await expect(page.getByText(/kan hier niet worden gewijzigd/)).toBeVisible();
  const mark = await mailboxMark(page.request);
  await page.getByRole('button', { name: 'Volgende' }).click(); // sends the code

  await expect(page.getByRole('heading', { name: 'Vul de eenmalige code in' })).toBeVisible();
  const codeField = page.getByLabel('Eenmalige code');
  await expect(codeField).toHaveAttribute('inputmode', 'numeric');
  await expect(codeField).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(page.getByRole('button', { name: /Nieuwe code mogelijk over \d+ s/ })).toBeDisabled();
  // Opening the link again resumes at the code.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Vul de eenmalige code in' })).toBeVisible();
  await codeField.fill(await acceptanceCode(page, mobile, mark));
  await page.getByRole('button', { name: 'Volgende' }).click();

  await expect(page.getByRole('heading', { name: 'Kies uw gebruikersnaam en wachtwoord' })).toBeVisible();
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord', { exact: true }).fill('kort');
  await page.getByLabel('Herhaal nieuw wachtwoord').fill('kort');
  const rules = page.getByRole('list').filter({ hasText: 'minimaal 8 tekens' }).getByRole('listitem');
  await expect(rules.filter({ hasText: 'minimaal 8 tekens' })).toContainText('nog niet voldaan');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByText('Het wachtwoord voldoet niet aan alle eisen hieronder.')).toBeVisible();
  // Nothing typed was lost.
  await expect(page.getByLabel('Gebruikersnaam')).toHaveValue(username);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Herhaal nieuw wachtwoord').fill(NEW_PASSWORD);
  for (const r of ['tekens', 'kleine letter', 'hoofdletter', 'cijfer', 'speciaal teken', 'gebruikersnaam']) {
    await expect(rules.filter({ hasText: r })).toContainText('(voldaan)');
  }
  await page.getByRole('button', { name: 'Volgende' }).click();

  await expect(page.getByRole('heading', { name: 'Controleer uw aanvraag' })).toBeVisible();
  await expect(page.getByText(username, { exact: true })).toBeVisible();
  await expectAccessible(page);
}

test('an employed user accepts on the phone, the means is active at once, and the link is used up', async ({ page, request }) => {
  const { stamp, mobile } = unique();
  const email = `anna.${stamp}@example.nl`;
  const username = `anna.${stamp}`;
  await applyFor(request, [{ first: 'Anna', email, mobile, employed: true }]);
  const link = await invitationLink(page, email);
  await acceptOnThePhoneUpToSummary(page, link, mobile, username);

  await page.getByRole('button', { name: 'Bestel' }).click();
  await expect(page.getByRole('heading', { name: 'Bedankt' })).toBeVisible();
  await expect(page.getByText(`U kunt nu inloggen met gebruikersnaam ${username}`)).toBeVisible();
  await page.getByRole('button', { name: 'Afsluiten' }).click();
  await expect(page).toHaveURL(/\/inloggen$/);

  // The used link gets the one page for links that do not work.
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Deze link werkt niet' })).toBeVisible();
  await expect(page.getByText(/Vraag de beheerder van uw organisatie om een nieuwe uitnodiging/)).toBeVisible();

  // The issued user signs in to Mijn account.
  await signInFully(page, username, NEW_PASSWORD, mobile);
  await expect(page.getByRole('heading', { name: 'Mijn account' })).toBeVisible();
  await expect(page.getByText(username, { exact: true })).toBeVisible();
});

test('a user who is not employed is verified, checked by the operator, and then active', async ({ page, request, browser }) => {
  const { stamp, mobile } = unique();
  const email = `bram.${stamp}@example.nl`;
  const username = `bram.${stamp}`;
  const name = `Bram Proef-${stamp}`;
  await applyFor(request, [{ first: 'Bram', last: `Proef-${stamp}`, email, mobile, employed: false }]);
  const link = await invitationLink(page, email);
  await acceptOnThePhoneUpToSummary(page, link, mobile, username);
  await expect(page.getByText(/persoonlijke identificatie via onze partner/)).toBeVisible();
  await page.getByRole('button', { name: 'Bestel' }).click();
  await expect(page.getByRole('heading', { name: 'Bedankt' })).toBeVisible();
  await expect(page.getByText(/U ontvangt een e-mail met een uitnodiging voor uw identificatie/)).toBeVisible();
  await page.getByRole('button', { name: 'Afsluiten' }).click();
  // Not issued yet: the new credentials do not sign in.
  await signInWithPassword(page, username, NEW_PASSWORD);
  await expect(page.getByText('De gebruikersnaam of het wachtwoord is onjuist.')).toBeVisible();

  // The partner (the development simulator) reports a passed verification.
  await page.goto('/dev/identiteit');
  const verification = page.getByRole('article', { name });
  await expect(verification).toContainText(email);
  await verification.getByRole('button', { name: 'Laten slagen' }).click();
  await expect(page.getByRole('article', { name })).toHaveCount(0);

  // The operator approves on a desktop.
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL });
  const operator = await desk.newPage();
  await signInAsOperator(operator);
  await operator.getByRole('link', { name: 'Eindcontrole' }).click();
  await expect(operator.getByRole('heading', { name: 'Eindcontrole', level: 1 })).toBeVisible();
  await operator.getByRole('link', { name }).click();
  await expect(operator.getByRole('heading', { name })).toBeVisible();
  await expect(operator.getByText(email)).toBeVisible();
  await expectAccessible(operator);
  await operator.getByRole('button', { name: 'Goedkeuren en uitgeven' }).click();
  await expect(operator.getByText('Goedgekeurd: het eHerkenningsmiddel is uitgegeven.')).toBeVisible();
  await desk.close();

  await signInFully(page, username, NEW_PASSWORD, mobile);
  await expect(page.getByRole('heading', { name: 'Mijn account' })).toBeVisible();
  await expect(page.getByText(username, { exact: true })).toBeVisible();
});

test('a wrong code says how many tries are left and the right one still works', async ({ page, request }) => {
  const { stamp, mobile } = unique();
  const email = `cor.${stamp}@example.nl`;
  await applyFor(request, [{ first: 'Cor', email, mobile, employed: true }]);
  await page.goto(await invitationLink(page, email));
  await page.getByRole('button', { name: 'Gegevens kloppen' }).click();
  await expect(page.getByRole('heading', { name: 'Controleer uw mobiele nummer' })).toBeVisible();
  const mark = await mailboxMark(page.request);
  await page.getByRole('button', { name: 'Volgende' }).click(); // sends the code
  await expect(page.getByRole('heading', { name: 'Vul de eenmalige code in' })).toBeVisible();
  const right = await acceptanceCode(page, mobile, mark);
  const wrong = right === '000000' ? '111111' : '000000';
  await page.getByLabel('Eenmalige code').fill('12');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByText('Een code bestaat uit 6 cijfers.')).toBeVisible();
  await page.getByLabel('Eenmalige code').fill(wrong);
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByText('De code is onjuist. Nog 4 pogingen.')).toBeVisible();
  await expect(page.getByLabel('Eenmalige code')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Eenmalige code').fill(right);
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { name: 'Kies uw gebruikersnaam en wachtwoord' })).toBeVisible();
});

test('an expired link and an unknown link get the same page', async ({ page, request }) => {
  const { stamp, mobile } = unique();
  const email = `dirk.${stamp}@example.nl`;
  await applyFor(request, [{ first: 'Dirk', email, mobile, employed: true }]);
  const link = await invitationLink(page, email);
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Controleer uw gegevens' })).toBeVisible();
  // Thirty days pass.
  sqlOnTestDatabase(
    `UPDATE invitations i SET expires_at = now() - interval '1 second' FROM application_users au JOIN users u ON u.id = au.user_id
      WHERE au.id = i.application_user_id AND u.email = '${email}'`,
  );
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Deze link werkt niet' })).toBeVisible();
  const expired = await page.getByRole('main').innerText();
  await page.goto('/uitnodiging/ditbestaatniet');
  await expect(page.getByRole('heading', { name: 'Deze link werkt niet' })).toBeVisible();
  await expect.poll(() => page.getByRole('main').innerText()).toBe(expired);
  await expectNoSidewaysScroll(page);
});
