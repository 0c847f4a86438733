import { APIRequestContext, Locator, Page, expect } from '@playwright/test';
import {
  USER,
  applyFor,
  asManager,
  callApi,
  createFinalCheckItem,
  createVerification,
  invitationToken,
  signInAsManager,
  signInAsOperator,
  signInWithPassword,
  unique,
} from './helpers';

// Every page of the app in one place: the routes of app/src/ui/mod.rs (accessibility.spec.ts
// fails naming any route missing here), the acceptance page the server serves itself, and the
// page for an unknown address. For each: who signs in, how to get a real address (with real
// ids made through the API), and what shows once the page has loaded.

export type Who = 'visitor' | 'manager' | 'user' | 'operator';

export type Opened = {
  /** The address to open. */
  url: string;
  /** Removes what was made for the page, where it would otherwise pile up across reruns. */
  cleanUp?: (page: Page) => Promise<void>;
};

export type PageEntry = {
  /** The route as app/src/ui/mod.rs writes it in path!("..."); `fallback` for unknown addresses. */
  route: string;
  /** What the page is, for the test's name. */
  name: string;
  who: Who;
  /** Makes what the page needs (over the API, with the test's own request context). */
  open: (request: APIRequestContext) => Promise<Opened>;
  /** Visible once the page has loaded what it shows. */
  loaded: (page: Page) => Locator;
};

export async function signInAs(page: Page, who: Who) {
  switch (who) {
    case 'visitor':
      return;
    case 'manager':
      return signInAsManager(page);
    case 'operator':
      return signInAsOperator(page);
    case 'user':
      await signInWithPassword(page, USER.username, USER.password);
      await expect(page.getByRole('heading', { name: 'Mijn account' })).toBeVisible();
  }
}

/** An application of one invited user of its own; returns its id and the user's e-mail. */
async function anApplication(request: APIRequestContext) {
  const { stamp, mobile } = unique();
  const email = `pagina.${stamp}@example.nl`;
  const id = await applyFor(request, [{ first: 'Pien', last: `Pagina-${stamp}`, email, mobile, employed: true }]);
  return { id, email };
}

/** Takes the final check's item out of the queue again, as the operator. */
const rejectAfterwards = (id: string) => async (page: Page) => {
  await callApi(page.request, 'final_check/reject', { id, reason: 'Opgeruimd na de toegankelijkheidstest.' });
};

const at = (url: string) => async (): Promise<Opened> => ({ url });

export const PAGES: PageEntry[] = [
  {
    route: '/',
    name: 'the start page (a visitor is sent to sign in)',
    who: 'visitor',
    open: at('/'),
    loaded: (page) => page.getByRole('heading', { name: 'Inloggen' }),
  },
  {
    route: '/inloggen',
    name: 'the sign-in page',
    who: 'visitor',
    open: at('/inloggen'),
    loaded: (page) => page.getByRole('button', { name: 'Inloggen' }),
  },
  {
    route: '/beheer/gebruikers',
    name: 'the users list',
    who: 'manager',
    open: at('/beheer/gebruikers'),
    loaded: (page) => page.getByRole('table', { name: 'Gebruikers' }),
  },
  {
    route: '/beheer/machtigingen',
    name: 'the authorizations overview',
    who: 'manager',
    open: at('/beheer/machtigingen'),
    loaded: (page) => page.getByRole('table', { name: 'Machtigingen' }),
  },
  {
    route: '/beheer/machtigingen/aanvragen',
    name: 'requesting new authorizations',
    who: 'manager',
    open: at('/beheer/machtigingen/aanvragen'),
    loaded: (page) => page.getByRole('heading', { name: 'Nieuwe machtigingen aanvragen', level: 1 }),
  },
  {
    route: '/beheer/koppelverzoeken',
    name: 'the link requests',
    who: 'manager',
    open: at('/beheer/koppelverzoeken'),
    loaded: (page) => page.getByRole('heading', { name: 'Openstaande koppelverzoeken' }),
  },
  {
    route: '/beheer/gebruikers/toevoegen',
    name: 'the add-users wizard',
    who: 'manager',
    open: async (request) => {
      // Its first step, whatever draft an earlier test left.
      await asManager(request, () => callApi(request, 'wizard/discard'));
      return { url: '/beheer/gebruikers/toevoegen' };
    },
    loaded: (page) => page.getByRole('heading', { name: 'Organisatie en niveau' }),
  },
  {
    route: '/beheer/lopende-aanvragen',
    name: 'the applications in progress',
    who: 'manager',
    open: async (request) => {
      await anApplication(request); // so the list is a table, not "no applications"
      return { url: '/beheer/lopende-aanvragen' };
    },
    loaded: (page) => page.getByRole('table', { name: 'Lopende aanvragen' }),
  },
  {
    route: '/beheer/lopende-aanvragen/:id',
    name: "an application's details",
    who: 'manager',
    open: async (request) => {
      const { id } = await anApplication(request);
      return { url: `/beheer/lopende-aanvragen/${id}` };
    },
    loaded: (page) => page.getByRole('table', { name: 'Gebruikers' }),
  },
  {
    route: '/mijn-account',
    name: 'Mijn account',
    who: 'user',
    open: at('/mijn-account'),
    loaded: (page) => page.getByRole('heading', { name: 'Wachtwoord wijzigen' }),
  },
  {
    route: '/beheer/eindcontrole',
    name: "the operator's final check queue",
    who: 'operator',
    open: async (request) => {
      const item = await createFinalCheckItem(request); // so the queue is a table
      return { url: '/beheer/eindcontrole', cleanUp: rejectAfterwards(item.id) };
    },
    loaded: (page) => page.getByRole('table'),
  },
  {
    route: '/beheer/eindcontrole/:id',
    name: "a final check's details",
    who: 'operator',
    open: async (request) => {
      const item = await createFinalCheckItem(request);
      return { url: `/beheer/eindcontrole/${item.id}`, cleanUp: rejectAfterwards(item.id) };
    },
    loaded: (page) => page.getByRole('button', { name: 'Goedkeuren en uitgeven' }),
  },
  {
    route: '/dev/mailbox',
    name: 'the development mailbox',
    who: 'visitor',
    open: async (request) => {
      await anApplication(request); // so there is an invitation to show
      return { url: '/dev/mailbox' };
    },
    loaded: (page) => page.getByRole('article').first(),
  },
  {
    route: '/dev/identiteit',
    name: 'the identity verification simulator',
    who: 'visitor',
    open: async (request) => {
      const verification = await createVerification(request); // so there is one to show
      return {
        url: '/dev/identiteit',
        // A failed verification ends the application for that user: the list does not grow.
        cleanUp: async (page) => {
          await callApi(page.request, 'dev/verification_result', { reference: verification.reference, passed: false });
        },
      };
    },
    loaded: (page) => page.getByRole('button', { name: 'Laten slagen' }).first(),
  },
  {
    route: '/uitnodiging/:token',
    name: 'the acceptance page of an invitation',
    who: 'visitor',
    open: async (request) => {
      const { email } = await anApplication(request);
      return { url: `/uitnodiging/${await invitationToken(request, email)}` };
    },
    loaded: (page) => page.getByRole('button', { name: 'Gegevens kloppen' }),
  },
  {
    route: 'fallback',
    name: 'the page for an unknown address',
    // A visitor who is not signed in gets the sign-in page at every address of the portal.
    who: 'user',
    open: at('/bestaat-niet'),
    loaded: (page) => page.getByRole('heading', { name: 'Pagina niet gevonden' }),
  },
];
