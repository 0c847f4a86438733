import { test, expect } from '@playwright/test';
import {
  ORGANIZATIONS,
  applyFor,
  callApi,
  invitationToken,
  mailboxMark,
  portalDate,
  portalMinutes,
  signInAsManager,
  smsCodeSince,
  unique,
} from './helpers';

// Lopende aanvragen: what the README promises about the filters and each step's time.

test('the organization filter in Lopende aanvragen shows only the chosen organization', async ({ page, request }) => {
  const { stamp } = unique();
  const bakkerij = { first: 'Bas', last: `Filter-${stamp}`, email: `bas.${stamp}@example.nl`, mobile: unique().mobile, employed: true };
  const berg = { first: 'Bea', last: `Filter-${stamp}`, email: `bea.${stamp}@example.nl`, mobile: unique().mobile, employed: true };
  const bakkerijApplication = await applyFor(request, [bakkerij], ORGANIZATIONS.bakkerij);
  const bergApplication = await applyFor(request, [berg], ORGANIZATIONS.berg);

  await signInAsManager(page);
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Lopende aanvragen' }).click();
  await expect(page.getByRole('heading', { name: 'Lopende aanvragen', level: 1 })).toBeVisible();
  const table = page.getByRole('table', { name: 'Lopende aanvragen' });
  const cellsOf = (name: string) => table.getByRole('cell', { name, exact: true });
  for (const [organization, other, applicationId, applicant] of [
    [ORGANIZATIONS.berg, ORGANIZATIONS.bakkerij, bergApplication, berg],
    [ORGANIZATIONS.bakkerij, ORGANIZATIONS.berg, bakkerijApplication, bakkerij],
  ] as const) {
    // Without a filter both organizations' applications are there.
    await expect(cellsOf(organization.name).first()).toBeVisible();
    await expect(cellsOf(other.name).first()).toBeVisible();
    await page.getByLabel('Organisatie').selectOption({ label: organization.name });
    // The list before the filter held both, so this passes only once the filtered list is shown.
    await expect(cellsOf(other.name)).toHaveCount(0);
    await expect(cellsOf(organization.name).first()).toBeVisible();
    // The newest of the organization's applications (one server, one worker) is this test's.
    await page.getByRole('link', { name: `Bekijken ${organization.name}` }).first().click();
    await expect(page).toHaveURL(new RegExp(`/beheer/lopende-aanvragen/${applicationId}$`));
    await expect(page.getByRole('heading', { name: `Aanvraag · ${organization.name}` })).toBeVisible();
    await expect(page.getByRole('cell', { name: applicant.email, exact: true })).toBeVisible();
    await page.getByRole('link', { name: 'Terug naar Lopende aanvragen' }).click();
    await expect(page.getByRole('heading', { name: 'Lopende aanvragen', level: 1 })).toBeVisible();
  }
});

test("an application's detail shows each acceptance step with the time it happened", async ({ page, request }) => {
  const { stamp, mobile } = unique();
  const applicant = { first: 'Tijs', last: `Tijd-${stamp}`, email: `tijs.${stamp}@example.nl`, mobile, employed: true };
  const applicationId = await applyFor(request, [applicant]);
  const token = await invitationToken(request, applicant.email);

  // The new user confirms the details and the mobile number (the phone's server functions).
  const confirmedFrom = new Date();
  await callApi(request, 'acceptance/confirm', { token });
  const confirmedTo = new Date();
  const mark = await mailboxMark(request);
  await callApi(request, 'acceptance/send_code', { token });
  const code = await smsCodeSince(request, mobile, mark);
  const verifiedFrom = new Date();
  await callApi(request, 'acceptance/verify_code', { token, code });
  const verifiedTo = new Date();

  await signInAsManager(page);
  await page.goto(`/beheer/lopende-aanvragen/${applicationId}`);
  await expect(page.getByRole('heading', { name: 'Aanvraag · Bakkerij De Vries B.V.' })).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(`${applicant.first} ${applicant.last}`) });
  const steps = row.getByRole('list', { name: 'Stappen' }).getByRole('listitem');
  await expect(steps).toHaveCount(2);
  // "Gegevens bevestigd 14-03-2026 10:42": the step, then today's date and the minute it
  // happened, as the portal shows times (Europe/Amsterdam).
  const stepTime = /^(.+) (\d{2}-\d{2}-\d{4}) (\d{2}:\d{2})$/;
  const shown = async (n: number) => {
    const text = (await steps.nth(n).innerText()).replace(/\s+/g, ' ').trim();
    const match = text.match(stepTime);
    expect(match, `"${text}" is a step and its time`).not.toBeNull();
    return { step: match![1], date: match![2], at: `${match![2]} ${match![3]}` };
  };
  const confirmed = await shown(0);
  expect(confirmed.step).toBe('Gegevens bevestigd');
  expect([portalDate(confirmedFrom), portalDate(confirmedTo)]).toContain(confirmed.date);
  expect(portalMinutes(confirmedFrom, confirmedTo)).toContain(confirmed.at);
  const verified = await shown(1);
  expect(verified.step).toBe('Mobiel nummer bevestigd');
  expect([portalDate(verifiedFrom), portalDate(verifiedTo)]).toContain(verified.date);
  expect(portalMinutes(verifiedFrom, verifiedTo)).toContain(verified.at);
});

test('Lopende aanvragen writes dates and amounts the Dutch way, amounts right-aligned on one line, in pages of 25', async ({ page, request }) => {
  const { stamp, mobile } = unique();
  const submittedFrom = new Date();
  await applyFor(request, [{ first: 'Dirk', last: `Datum-${stamp}`, email: `dirk.${stamp}@example.nl`, mobile, employed: true }]);
  const submittedTo = new Date();

  await signInAsManager(page);
  await page.goto('/beheer/lopende-aanvragen');
  const table = page.getByRole('table', { name: 'Lopende aanvragen' });
  const newest = table.getByRole('row').nth(1);
  // dd-mm-jjjj uu:mm, the minute it was submitted.
  const submitted = newest.getByTestId('submitted-at');
  expect(portalMinutes(submittedFrom, submittedTo)).toContain(await submitted.innerText());
  // "€ 18,15": a euro sign, a no-break space, thousands with a dot and cents after a comma.
  const total = newest.getByTestId('total');
  expect(await total.textContent()).toMatch(/^€\u00a0\d{1,3}(\.\d{3})*,\d{2}$/);
  await expect(total).toHaveCSS('text-align', 'right');
  await expect(total).toHaveCSS('white-space', 'nowrap');
  await expect(table.getByRole('columnheader', { name: 'Totaal' })).toHaveCSS('text-align', 'right');
  // No more than a page; the next one follows on from it (keyset paging, no 200 limit).
  const rows = table.getByRole('row');
  expect(await rows.count()).toBeLessThanOrEqual(26);
  const next = page.getByRole('button', { name: 'Volgende' });
  if (await next.isEnabled()) {
    const firstOnPage1 = await rows.nth(1).innerText();
    await next.click();
    await expect(page.getByRole('navigation', { name: "Pagina's, nu pagina 2" })).toBeVisible();
    await expect(rows.nth(1)).not.toHaveText(firstOnPage1);
  }

  // In English (whichever page is shown): "25 Nov 2026, 14:05" and "€18.15".
  await page.getByRole('button', { name: 'EN English' }).click();
  const english = page.getByRole('table', { name: 'Applications in progress' }).getByRole('row').nth(1);
  await expect(english.getByTestId('submitted-at')).toHaveText(/^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}$/);
  await expect(english.getByTestId('total')).toHaveText(/^€\d{1,3}(,\d{3})*\.\d{2}$/);
  await page.getByRole('button', { name: 'NL Nederlands' }).click();
});
