import { test, expect, Page } from '@playwright/test';
import { MANAGER, callApi, signInAsManager, signInWithPassword } from './helpers';
import { PAGES, signInAs } from './pages';

// No page scrolls sideways on a small phone (360 px, the 'narrow' project in
// playwright.config.ts), in Dutch or in English: English words are longer and Dutch compounds
// do not break, so a layout that fits in one language can still be too wide in the other.
// Every page comes from the one list in pages.ts; a failure names what is too wide.

type Overflow = { scrollWidth: number; clientWidth: number; offenders: string[] };

/**
 * How wide the document is against the viewport, and when it is too wide, the elements that
 * stick out past the right edge. Inside a box that scrolls or clips sideways (a table in an
 * `overflow-x: auto` wrapper) nothing can widen the page, so those are left out, as are fixed
 * boxes (they do not scroll the page). Of a chain of boxes that all stick out, only the first
 * (whose parent fits: where it starts) and the innermost (what is actually too wide: a long
 * word, a fixed width) are named.
 */
async function sidewaysOverflow(page: Page): Promise<Overflow> {
  // The page has shown what it loads; let layout and fonts settle before measuring.
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  });
  return page.evaluate(() => {
    const root = document.documentElement;
    const limit = root.clientWidth;
    const result = { scrollWidth: root.scrollWidth, clientWidth: limit, offenders: [] as string[] };
    if (result.scrollWidth <= limit) return result;

    // Half a pixel of slack: sub-pixel edges are not a scroll bar.
    const past = (right: number) => right + window.scrollX > limit + 0.5;
    const describe = (el: Element, right: number, why: string) => {
      const classes = [...el.classList].map((c) => `.${c}`).join('');
      const id = el.id ? `#${el.id}` : '';
      const href = el.getAttribute('href');
      const link = href ? ` href="${href}"` : '';
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      const snippet = text ? ` "${text.length > 50 ? `${text.slice(0, 50)}…` : text}"` : '';
      return `<${el.tagName.toLowerCase()}${id}${classes}${link}>${snippet}: ${why} to ${Math.round(right)} px`;
    };

    type Hit = { el: Element; right: number; parentSticksOut: boolean; childSticksOut: boolean; text: boolean };
    const hits: Hit[] = [];
    // Returns whether `el` or anything in it sticks out (and is not clipped).
    const visit = (el: Element, parentSticksOut: boolean): boolean => {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.position === 'fixed') return false;
      const rect = el.getBoundingClientRect();
      const sticksOut = rect.width > 0 && past(rect.right);
      const clips = style.overflowX !== 'visible' && el !== document.body;
      // Text wider than its own box (a word that does not break) sticks out by itself, unless
      // the box clips it (the screen-reader-only texts do).
      let textRight = 0;
      for (const node of clips ? [] : el.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        textRight = Math.max(textRight, range.getBoundingClientRect().right);
      }
      const textSticksOut = past(textRight) && !(sticksOut && textRight <= rect.right);
      let childSticksOut = false;
      if (!clips) {
        for (const child of el.children) childSticksOut = visit(child, sticksOut) || childSticksOut;
      }
      if (sticksOut || textSticksOut) {
        hits.push({
          el,
          right: Math.max(sticksOut ? rect.right : 0, textSticksOut ? textRight : 0),
          parentSticksOut,
          childSticksOut,
          text: textSticksOut && !sticksOut,
        });
      }
      return sticksOut || textSticksOut || childSticksOut;
    };
    visit(document.body, false);

    for (const hit of hits) {
      if (hit.text) result.offenders.push(describe(hit.el, hit.right, 'its text runs on'));
      else if (!hit.parentSticksOut) result.offenders.push(describe(hit.el, hit.right, 'reaches'));
      else if (!hit.childSticksOut) result.offenders.push(describe(hit.el, hit.right, 'innermost, reaches'));
    }
    if (result.offenders.length === 0) result.offenders.push('(no element found: a pseudo-element or a transform?)');
    return result;
  });
}

/**
 * Fails, naming what is too wide, when the page scrolls sideways now. A soft failure: the test
 * goes on to the other language and the next states, so one run lists every problem.
 */
async function expectNoSidewaysScroll(page: Page, where: string) {
  // Never a pass at another width: this check means a phone's.
  expect(page.viewportSize()?.width, 'the viewport of the narrow project').toBe(360);
  const overflow = await sidewaysOverflow(page);
  const max = 12;
  const named = overflow.offenders.slice(0, max).map((o) => `\n  - ${o}`).join('');
  const more = overflow.offenders.length > max ? `\n  … and ${overflow.offenders.length - max} more` : '';
  expect.soft(
    overflow.scrollWidth,
    `${where} scrolls sideways: the page is ${overflow.scrollWidth} px wide in a ${overflow.clientWidth} px viewport; too wide:${named}${more}`,
  ).toBeLessThanOrEqual(overflow.clientWidth);
}

/**
 * Switches the language with the header's button, where the page is (the `loaded` locators are
 * Dutch, so the page loads in Dutch first), and waits until the page shows it.
 */
async function switchLanguage(page: Page, lang: 'nl' | 'en') {
  const button = page.getByRole('button', { name: lang === 'en' ? 'EN English' : 'NL Nederlands', exact: true });
  // On a phone the header may fold its tools behind a "Menu" button; open it, and close it
  // again afterwards, so the check sees the page as it first shows.
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  const folded = !(await button.isVisible()) && (await menu.isVisible());
  if (folded) await menu.click();
  await button.click();
  await expect(page.locator(`html[lang="${lang}"]`)).toBeAttached();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  if (folded && (await menu.getAttribute('aria-expanded')) === 'true') await menu.click();
}

/**
 * Checks a state of a flow as it is now in Dutch, then in English, and leaves it in Dutch again
 * for the flow's next (Dutch) steps. Ends the test at the first state that is too wide: in
 * Chromium's phone emulation a page wider than the screen widens the layout viewport, and taps
 * then land beside their targets, so the next steps would only time out.
 */
async function expectFitsInBothLanguages(page: Page, where: string) {
  await expectNoSidewaysScroll(page, `${where}, in Dutch,`);
  await switchLanguage(page, 'en');
  await expectNoSidewaysScroll(page, `${where}, in English,`);
  await switchLanguage(page, 'nl');
  if (test.info().errors.length > 0) {
    throw new Error(`stopped after ${where}: the next steps cannot be tapped reliably on a page wider than the screen`);
  }
}

for (const entry of PAGES) {
  test(`${entry.name} (${entry.route}) does not scroll sideways at 360 px, in Dutch and English`, async ({ page, request }) => {
    const opened = await entry.open(request);
    await signInAs(page, entry.who);
    await page.goto(opened.url);
    await expect(entry.loaded(page)).toBeVisible();
    await expectNoSidewaysScroll(page, `${entry.name} (${opened.url}), in Dutch,`);
    await switchLanguage(page, 'en');
    await expectNoSidewaysScroll(page, `${entry.name} (${opened.url}), in English,`);
    await opened.cleanUp?.(page);
  });
}

// The help pages are written by the server itself (not routes of the app), one per language.
for (const help of [
  { url: '/hulp/inloggen', heading: 'Hulp bij inloggen', lang: 'Dutch' },
  { url: '/help/sign-in', heading: 'Help with signing in', lang: 'English' },
]) {
  test(`the help page ${help.url} does not scroll sideways at 360 px`, async ({ page }) => {
    await page.goto(help.url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoSidewaysScroll(page, `the help page (${help.url}), in ${help.lang},`);
  });
}

test('the SMS-code step of sign-in does not scroll sideways at 360 px, in Dutch and English', async ({ page }) => {
  await signInWithPassword(page, MANAGER.username, MANAGER.password);
  await expect(page.getByRole('heading', { name: 'Sms-code invoeren' })).toBeVisible();
  await expectFitsInBothLanguages(page, 'the SMS-code step');
});

test("the add-users wizard's steps do not scroll sideways at 360 px, in Dutch and English", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsManager(page);
  // Its first step, whatever draft an earlier test left; this test never submits, and
  // discards its draft at the end.
  await callApi(page.request, 'wizard/discard');
  await page.goto('/beheer/gebruikers/toevoegen');
  await expect(page.getByRole('heading', { name: 'Organisatie en niveau' })).toBeVisible();
  await page.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' });
  await page.getByRole('radio', { name: 'EH3' }).check();
  await expectFitsInBothLanguages(page, 'wizard step 1 (organization and level)');
  await page.getByRole('button', { name: 'Volgende' }).click();

  await expect(page.getByRole('heading', { name: 'KvK-nummer en vestiging' })).toBeVisible();
  await page.getByLabel('KvK-nummer').fill('34123456');
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page.getByText('Gevonden in het Handelsregister: Bakkerij De Vries B.V.')).toBeVisible();
  await expectFitsInBothLanguages(page, 'wizard step 2 (KvK number and branch)');
  await page.getByRole('button', { name: 'Volgende' }).click();

  await expect(page.getByRole('heading', { name: 'Organisatiegegevens' })).toBeVisible();
  await expectFitsInBothLanguages(page, 'wizard step 3 (organization details)');
  await page.getByRole('button', { name: 'Volgende' }).click();

  // The users step: the form with its error messages, the CSV preview (a wide table), and
  // the list of added users.
  await expect(page.getByRole('heading', { name: 'Gebruikers', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Gebruiker toevoegen' }).click();
  const form = page.getByRole('form', { name: 'Gebruiker toevoegen' });
  await form.getByLabel('E-mailadres').fill('fout@');
  await form.getByRole('button', { name: 'Opslaan' }).click();
  await expect(form.getByText('Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.')).toBeVisible();
  await expectFitsInBothLanguages(page, 'wizard step 4, the form for a user with errors');
  await form.getByRole('button', { name: 'Annuleren' }).click();
  await expect(form).toHaveCount(0);

  await page.getByLabel('CSV-bestand uploaden').setInputFiles({
    name: 'gebruikers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst\r\n' +
        'Iris;;Breedte-Proefpersoon;iris.breedte@example.nl;0612000001;01-01-1990;ja\r\n' +
        'Jan;;Fout;jan.fout@;0612000002;31-02-1990;nee\r\n',
    ),
  });
  await expect(page.getByRole('table', { name: 'Voorbeeld van het bestand' })).toBeVisible();
  await expectFitsInBothLanguages(page, 'wizard step 4, the CSV preview');
  await page.getByRole('button', { name: /Geldige rijen overnemen/ }).click();
  await page.getByRole('button', { name: 'Sluiten' }).click();
  await expect(page.getByRole('table', { name: /^Toegevoegde gebruikers/ })).toBeVisible();
  await expectFitsInBothLanguages(page, 'wizard step 4, the added users');
  await page.getByRole('button', { name: 'Volgende' }).click();

  await expect(page.getByRole('heading', { name: 'Machtigingen', level: 2 })).toBeVisible();
  await page.getByLabel('Zoek een dienst').fill('belasting');
  await page.getByRole('button', { name: 'Toevoegen Mijn Belastingdienst Zakelijk' }).click();
  await expect(page.getByTestId('price-total')).toBeVisible();
  await expectFitsInBothLanguages(page, 'wizard step 5 (authorizations and price)');
  await page.getByRole('button', { name: 'Volgende' }).click();

  await expect(page.getByRole('checkbox', { name: 'Ik heb de voorwaarden gelezen en ga ermee akkoord.' })).toBeVisible();
  await expectFitsInBothLanguages(page, 'wizard step 6 (summary and terms)');
  await callApi(page.request, 'wizard/discard');
});
