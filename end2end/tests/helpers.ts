import { APIRequestContext, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';

export const MANAGER = { username: 'demo.beheerder', password: 'Welkom-Machtig1', mobile: '+31612345678' };
export const USER = { username: 'demo.gebruiker', password: 'Gebruiker-2026' };
export const OPERATOR = { username: 'demo.makelaar', password: 'Controle-2026!', mobile: '+31634567890' };

/** Reads the newest SMS to `mobile` from the development mailbox, as a person reads a phone. */
export async function codeFromMailbox(page: Page, mobile: string): Promise<string> {
  const mailbox = await page.context().newPage();
  await mailbox.goto('/dev/mailbox');
  const sms = mailbox.getByRole('article', { name: `Sms ${mobile}` }).first();
  await expect(sms).toBeVisible();
  const text = await sms.innerText();
  await mailbox.close();
  const match = text.match(/inlogcode is (\d{6})/);
  expect(match, text).not.toBeNull();
  return match![1];
}

export async function signInWithPassword(page: Page, username: string, password: string) {
  await page.goto('/inloggen');
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

export async function signInAsManager(page: Page) {
  await signInWithPassword(page, MANAGER.username, MANAGER.password);
  await expect(page.getByRole('heading', { name: 'Sms-code invoeren' })).toBeVisible();
  const code = await codeFromMailbox(page, MANAGER.mobile);
  await page.getByLabel('Sms-code').fill(code);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 1 })).toBeVisible();
}

/** No serious or critical accessibility violations on the page as it is now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

/** Signs in with the SMS code where the level asks for one, reading it from the mailbox. */
export async function signInFully(page: Page, username: string, password: string, mobile: string) {
  await signInWithPassword(page, username, password);
  await expect(page.getByRole('heading', { name: 'Sms-code invoeren' })).toBeVisible();
  const code = await codeFromMailbox(page, mobile);
  await page.getByLabel('Sms-code').fill(code);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
}

export type Applicant = { first: string; email: string; mobile: string; employed: boolean };

/** A unique Dutch mobile number and e-mail stamp, so reruns against the same data dir differ. */
export function unique(): { stamp: string; mobile: string } {
  const n = (Date.now() % 100_000_000).toString().padStart(8, '0');
  return { stamp: n, mobile: `+316${n}` };
}

/**
 * Applies for login means for Bakkerij De Vries (EH3, the tax office, 3 years) as the demo
 * manager, through the same server functions the wizard uses (the wizard itself is covered by
 * wizard.spec.ts), so the acceptance tests start from a real invitation.
 */
export async function applyFor(request: APIRequestContext, users: Applicant[]) {
  const post = async (fn: string, body: unknown) => {
    const r = await request.post(`/api/${fn}`, { data: body });
    expect(r.ok(), `${fn}: ${r.status()} ${await r.text()}`).toBeTruthy();
    return r.json();
  };
  const step = await post('auth/sign_in', { username: MANAGER.username, password: MANAGER.password });
  const messages = await post('dev/mailbox', {});
  const sms = messages.find((m: { channel: string; recipient: string }) => m.channel === 'sms' && m.recipient === MANAGER.mobile);
  const code = sms.body.match(/#(\d{6})/)[1];
  await post('auth/verify_code', { challenge: step.CodeSent.challenge, code });
  const start = await post('wizard/start', {});
  const org = start.organizations.find((o: { name: string }) => o.name === 'Bakkerij De Vries B.V.');
  const draft = {
    ...start.draft,
    step: 6,
    org_id: org.id,
    level: 'EH3',
    kvk: '34123456',
    restrict_to_branch: false,
    branch_id: null,
    users: users.map((u) => ({
      first_name: u.first,
      infix: '',
      last_name: 'Proef',
      email: u.email,
      mobile: u.mobile,
      date_of_birth: '14-03-1988',
      employed: u.employed,
      language: 'nl',
    })),
    with_authorizations: true,
    all_services: false,
    services: ['547b2d6d-b101-438d-9b26-292199e30a0b'],
    validity_years: 3,
  };
  await post('wizard/submit', { draft, terms_version: start.terms.version, agreed: true });
  await post('auth/sign_out', {});
}

/** The personal link in the newest invitation e-mail to `email`, from the development mailbox. */
export async function invitationLink(page: Page, email: string): Promise<string> {
  const mailbox = await page.context().newPage();
  await mailbox.goto('/dev/mailbox');
  const mail = mailbox.getByRole('article', { name: `E-mail ${email}` }).first();
  const link = await mail.getByRole('link', { name: /\/uitnodiging\// }).getAttribute('href');
  await mailbox.close();
  expect(link).toBeTruthy();
  return link!;
}

/** The newest acceptance code sent to `mobile`. */
export async function acceptanceCode(page: Page, mobile: string): Promise<string> {
  const mailbox = await page.context().newPage();
  await mailbox.goto('/dev/mailbox');
  const sms = mailbox.getByRole('article', { name: `Sms ${mobile}` }).first();
  const text = await sms.innerText();
  await mailbox.close();
  const match = text.match(/bevestigingscode is (\d{6})/);
  expect(match, text).not.toBeNull();
  return match![1];
}

/** Runs SQL on the end-to-end server's embedded database: only to let time pass (expiry). */
export function sqlOnTestDatabase(query: string) {
  const socketDir = path.resolve(__dirname, '../../target/e2e-data/postgres-run');
  execFileSync('psql', [`host=${socketDir} user=machtig dbname=machtig`, '-v', 'ON_ERROR_STOP=1', '-c', query]);
}
