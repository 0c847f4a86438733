import { APIRequestContext, expect, Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';

export const MANAGER = { username: 'demo.beheerder', password: 'Welkom-Machtig1', mobile: '+31612345678' };
export const USER = { username: 'demo.gebruiker', password: 'Gebruiker-2026' };
export const OPERATOR = { username: 'demo.makelaar', password: 'Controle-2026!', mobile: '+31634567890' };

/** The demo manager's organizations (see app/src/server/demo.rs). */
export const ORGANIZATIONS = {
  bakkerij: { name: 'Bakkerij De Vries B.V.', kvk: '34123456' },
  berg: { name: 'Berg Advies V.O.F.', kvk: '56789012' },
} as const;
export type Organization = (typeof ORGANIZATIONS)[keyof typeof ORGANIZATIONS];

/** Calls a server function (JSON POST under /api) and returns its answer; fails on an error. */
export async function callApi(request: APIRequestContext, fn: string, body: unknown = {}) {
  const r = await request.post(`/api/${fn}`, { data: body });
  expect(r.ok(), `${fn}: ${r.status()} ${await r.text()}`).toBeTruthy();
  return r.json();
}

// ---------------------------------------------------------------------------------------------
// The development mailbox. A test takes a mark (the newest message's id) before the action that
// sends a message and then waits for a message above the mark, so it can never read an older
// code, and never reads before the message was written.

export type MailboxMessage = { id: number; channel: string; recipient: string; subject: string | null; body: string };

export async function mailboxMessages(request: APIRequestContext): Promise<MailboxMessage[]> {
  return callApi(request, 'dev/mailbox');
}

/** The id of the newest message in the mailbox (0 when it is empty): take it before the action. */
export async function mailboxMark(request: APIRequestContext): Promise<number> {
  const messages = await mailboxMessages(request);
  return messages.reduce((max, m) => Math.max(max, m.id), 0);
}

/** Waits for the newest SMS to `mobile` after `mark` and returns its 6-digit code. */
export async function smsCodeSince(request: APIRequestContext, mobile: string, mark: number): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        const sms = (await mailboxMessages(request)).find(
          (m) => m.channel === 'sms' && m.recipient === mobile && m.id > mark,
        );
        // The last line is the one-time-code line "@host #123456", in either language.
        code = sms?.body.match(/#(\d{6})\s*$/)?.[1];
        return code ?? '';
      },
      { message: `an SMS with a code to ${mobile} after message ${mark}` },
    )
    .toMatch(/^\d{6}$/);
  return code!;
}

/** The SMS messages to `mobile` after `mark`, as they are now (to check that none was sent). */
export async function smsSince(request: APIRequestContext, mobile: string, mark: number): Promise<MailboxMessage[]> {
  return (await mailboxMessages(request)).filter((m) => m.channel === 'sms' && m.recipient === mobile && m.id > mark);
}

/** The token of the newest invitation e-mail to `email` (written with the application). */
export async function invitationToken(request: APIRequestContext, email: string): Promise<string> {
  let token: string | undefined;
  await expect
    .poll(
      async () => {
        const mail = (await mailboxMessages(request)).find((m) => m.channel === 'email' && m.recipient === email);
        token = mail?.body.match(/\/uitnodiging\/([A-Za-z0-9_-]+)/)?.[1];
        return token ?? '';
      },
      { message: `an invitation e-mail to ${email}` },
    )
    .toBeTruthy();
  return token!;
}

/** The personal link in the newest invitation e-mail to `email`, read from the mailbox page. */
export async function invitationLink(page: Page, email: string): Promise<string> {
  const mailbox = await page.context().newPage();
  await mailbox.goto('/dev/mailbox');
  const mail = mailbox.getByRole('article', { name: `E-mail ${email}` }).first();
  const link = await mail.getByRole('link', { name: /\/uitnodiging\// }).getAttribute('href');
  await mailbox.close();
  expect(link).toBeTruthy();
  return link!;
}

/**
 * The acceptance code sent to `mobile` after `mark`: take the mark before clicking the button
 * that sends the code.
 */
export async function acceptanceCode(page: Page, mobile: string, mark: number): Promise<string> {
  return smsCodeSince(page.request, mobile, mark);
}

// ---------------------------------------------------------------------------------------------
// Signing in through the pages.

export async function signInWithPassword(page: Page, username: string, password: string) {
  await page.goto('/inloggen');
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

/** Signs in with the SMS code where the level asks for one, reading it from the mailbox. */
export async function signInFully(page: Page, username: string, password: string, mobile: string) {
  const mark = await mailboxMark(page.request);
  await signInWithPassword(page, username, password);
  await expect(page.getByRole('heading', { name: 'Sms-code invoeren' })).toBeVisible();
  const code = await smsCodeSince(page.request, mobile, mark);
  await page.getByLabel('Sms-code').fill(code);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
}

export async function signInAsManager(page: Page) {
  await signInFully(page, MANAGER.username, MANAGER.password, MANAGER.mobile);
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 1 })).toBeVisible();
}

export async function signInAsOperator(page: Page) {
  await signInFully(page, OPERATOR.username, OPERATOR.password, OPERATOR.mobile);
  // In the menu, which a phone folds away behind "Menu".
  await expect(page.getByRole('link', { name: 'Eindcontrole', includeHidden: true })).toBeAttached();
}

/** No serious or critical accessibility violations on the page as it is now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Test data of their own, so every test can run again on the same database and in any order.

let lastStamp = 0;

/**
 * A stamp no other call in this run gets, with a Dutch mobile number made of it, so reruns
 * against the same data dir, and several users in one application, differ.
 */
export function unique(): { stamp: string; mobile: string } {
  const n = Math.max(Date.now(), lastStamp + 1);
  lastStamp = n;
  const stamp = (n % 100_000_000).toString().padStart(8, '0');
  return { stamp, mobile: `+316${stamp}` };
}

export type Applicant = {
  first: string;
  /** 'Proef' unless given. */
  last?: string;
  email: string;
  mobile: string;
  employed: boolean;
};

/** Signs the demo manager in over the API (with the SMS code), runs `work`, and signs out. */
export async function asManager<T>(request: APIRequestContext, work: () => Promise<T>): Promise<T> {
  const mark = await mailboxMark(request);
  const step = await callApi(request, 'auth/sign_in', { username: MANAGER.username, password: MANAGER.password });
  const code = await smsCodeSince(request, MANAGER.mobile, mark);
  await callApi(request, 'auth/verify_code', { challenge: step.CodeSent.challenge, code });
  try {
    return await work();
  } finally {
    await callApi(request, 'auth/sign_out');
  }
}

/**
 * Applies for login means (EH3, the tax office, 3 years) for one of the demo manager's
 * organizations (Bakkerij De Vries unless given), through the same server functions the
 * wizard uses (the wizard itself is covered by wizard.spec.ts), so a test starts from a real
 * invitation. Returns the application's id.
 */
export async function applyFor(
  request: APIRequestContext,
  users: Applicant[],
  organization: Organization = ORGANIZATIONS.bakkerij,
): Promise<string> {
  return asManager(request, async () => {
    const start = await callApi(request, 'wizard/start');
    const org = start.organizations.find((o: { name: string }) => o.name === organization.name);
    expect(org, `the manager manages ${organization.name}`).toBeTruthy();
    const draft = {
      ...start.draft,
      // A key of its own: never the retry of an earlier submission.
      submission_key: randomUUID(),
      step: 6,
      org_id: org.id,
      level: 'EH3',
      kvk: organization.kvk,
      restrict_to_branch: false,
      branch_id: null,
      users: users.map((u) => ({
        first_name: u.first,
        infix: '',
        last_name: u.last ?? 'Proef',
        email: u.email,
        mobile: u.mobile,
        date_of_birth: '14-03-1988',
        employed: u.employed,
        language: 'nl',
      })),
      with_authorizations: true,
      all_services: false,
      services: ['547b2d6d-b101-438d-9b26-292199e30a0b'], // Mijn Belastingdienst Zakelijk
      validity_years: 3,
    };
    return callApi(request, 'wizard/submit', { draft, terms_version: start.terms.version, agreed: true });
  });
}

/** The applicants of an application as the manager sees them (id, name, email, status, steps). */
export async function applicantsOf(request: APIRequestContext, applicationId: string) {
  const detail = await asManager(request, () => callApi(request, 'applications/detail', { id: applicationId }));
  return detail.applicants as { id: string; name: string; email: string; status: string }[];
}

export const NEW_PASSWORD = 'Nieuw-Wachtwoord7';

/**
 * Takes an invitation through the acceptance's server functions up to the summary: details
 * confirmed, the code from the SMS, a username and password.
 */
export async function acceptUpToSummary(
  request: APIRequestContext,
  token: string,
  mobile: string,
  username: string,
  password = NEW_PASSWORD,
) {
  await callApi(request, 'acceptance/open', { token });
  await callApi(request, 'acceptance/confirm', { token });
  const mark = await mailboxMark(request);
  await callApi(request, 'acceptance/send_code', { token });
  const code = await smsCodeSince(request, mobile, mark);
  await callApi(request, 'acceptance/verify_code', { token, code });
  await callApi(request, 'acceptance/credentials', { token, username, password });
}

export type ActiveUser = { username: string; password: string; mobile: string; email: string; name: string };

/**
 * A user of its own with an active login means (EH3, so signing in asks for an SMS code),
 * created through the real flows over the API: the manager applies for an employed user, who
 * accepts the invitation and orders.
 */
export async function createActiveUser(request: APIRequestContext, first = 'Eva'): Promise<ActiveUser> {
  const { stamp, mobile } = unique();
  const last = `Actief-${stamp}`;
  const email = `${first.toLowerCase()}.${stamp}@example.nl`;
  const username = `${first.toLowerCase()}.${stamp}`;
  await applyFor(request, [{ first, last, email, mobile, employed: true }]);
  const token = await invitationToken(request, email);
  await acceptUpToSummary(request, token, mobile, username);
  const ordered = await callApi(request, 'acceptance/order', { token });
  expect(ordered, 'an employed user gets the login means at once').toEqual({ Issued: { username } });
  return { username, password: NEW_PASSWORD, mobile, email, name: `${first} ${last}` };
}

/**
 * An applicant in identity verification: a user who is not employed accepts and orders, and
 * the development verification simulator holds the verification (its reference).
 */
export async function createVerification(
  request: APIRequestContext,
): Promise<{ applicationId: string; email: string; name: string; reference: string }> {
  const { stamp, mobile } = unique();
  const first = 'Floor';
  const last = `Identiteit-${stamp}`;
  const email = `floor.${stamp}@example.nl`;
  const applicationId = await applyFor(request, [{ first, last, email, mobile, employed: false }]);
  const token = await invitationToken(request, email);
  await acceptUpToSummary(request, token, mobile, `floor.${stamp}`);
  const ordered = await callApi(request, 'acceptance/order', { token });
  expect(ordered).toHaveProperty('IdentityVerification');
  let reference: string | undefined;
  await expect
    .poll(async () => {
      const pending = await callApi(request, 'dev/verifications');
      reference = pending.find((v: { email: string }) => v.email === email)?.reference;
      return reference ?? '';
    }, { message: `a verification for ${email} in the simulator` })
    .toBeTruthy();
  return { applicationId, email, name: `${first} ${last}`, reference: reference! };
}

/**
 * An applicant waiting in the operator's final check: the simulator reports a passed identity
 * verification. Returns the final check's id (the applicant's id) and the person's name.
 */
export async function createFinalCheckItem(request: APIRequestContext): Promise<{ id: string; name: string }> {
  const verification = await createVerification(request);
  await callApi(request, 'dev/verification_result', { reference: verification.reference, passed: true });
  const [applicant] = await applicantsOf(request, verification.applicationId);
  expect(applicant.status).toBe('final_check');
  return { id: applicant.id, name: verification.name };
}

/**
 * Today's date where the portal shows times (Europe/Amsterdam), as the Dutch pages write it:
 * dd-mm-jjjj; `years` later if asked, the way PostgreSQL adds years (29 February becomes 28).
 * The test machine's own zone may be a day behind: 23:30 UTC is already tomorrow there.
 */
export function portalDate(at: Date = new Date(), years = 0): string {
  const p = amsterdam(at);
  const year = Number(p.year) + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = p.month === '02' && p.day === '29' && !leap ? '28' : p.day;
  return `${day}-${p.month}-${year}`;
}

/** Every minute from `from` to `to` as the Dutch pages show it (dd-mm-jjjj uu:mm, Europe/Amsterdam). */
export function portalMinutes(from: Date, to: Date): string[] {
  const minutes: string[] = [];
  for (let t = Math.floor(from.getTime() / 60_000) * 60_000; t <= to.getTime(); t += 60_000) {
    const p = amsterdam(new Date(t));
    minutes.push(`${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}`);
  }
  return minutes;
}

function amsterdam(d: Date): Record<string, string> {
  return Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
}

/** Runs SQL on the end-to-end server's embedded database: only to let time pass (expiry). */
export function sqlOnTestDatabase(query: string) {
  const socketDir = path.resolve(__dirname, '../../target/e2e-data/postgres-run');
  execFileSync('psql', [`host=${socketDir} user=machtig dbname=machtig`, '-v', 'ON_ERROR_STOP=1', '-c', query]);
}
