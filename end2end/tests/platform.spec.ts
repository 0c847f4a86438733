import { test, expect } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { MANAGER, unique } from './helpers';

test('every response carries the security headers', async ({ request }) => {
  for (const path of ['/inloggen', '/healthz']) {
    const response = await request.get(path);
    const h = response.headers();
    expect(h['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['content-security-policy']).not.toContain('unsafe-inline');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
  }
});

test('the bundle is served precompressed from a content-hashed folder with long caching', async ({ request }) => {
  const shell = await (await request.get('/')).text();
  // Not signed in: the sign-in page's own bundle.
  const wasm = shell.match(/\/pkg\/[0-9a-f]{16}\/signin_bg\.wasm/);
  expect(wasm).not.toBeNull();
  const response = await request.get(wasm![0], { headers: { 'accept-encoding': 'br' } });
  expect(response.headers()['content-encoding']).toBe('br');
  expect(response.headers()['cache-control']).toContain('immutable');
  // Another build's folder is not served.
  const stale = await request.get(wasm![0].replace(/\/pkg\/[0-9a-f]{16}\//, '/pkg/0000000000000000/'));
  expect(stale.status()).toBe(404);
});

test('server functions refuse requests from another origin', async ({ request }) => {
  const response = await request.post('/api/auth/sign_in', {
    headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
    data: { username: MANAGER.username, password: MANAGER.password },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toEqual({ code: 'cross_origin' });
  const same = await request.post('/api/auth/sign_in', {
    headers: { origin: baseURL, 'content-type': 'application/json' },
    // A name of its own each time: failures for one name add up towards its lock.
    data: { username: `bestaat.niet.${unique().stamp}`, password: 'x' },
  });
  expect(same.status()).toBe(401);
  expect(await same.json()).toEqual({ code: 'invalid_credentials' });
});
