// Sign-in with OpenID Connect (as in AWS) in Debian's headless Chromium, and ./hybridci login, against a tiny
// provider on 127.0.0.1 (test-support/oidc-provider.mjs): its site serves dashboard/public with a config.json
// naming the provider, and forwards /api/v1 to the local cloud DashboardBrowserIT started, once the JWT checks.
// Runs after dashboard.browser.test.mjs (node's test runner takes the files in order), with the same environment,
// plus HYBRIDCI_JAVA and HYBRIDCI_CLASSPATH to run the CLI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CLIENT_ID, startOidcProvider } from '../test-support/oidc-provider.mjs';

const BASE = process.env.HYBRIDCI_URL;
const TOKEN = process.env.HYBRIDCI_ADMIN_TOKEN;
const BUILD_ID = process.env.HYBRIDCI_BUILD_ID;
const SHOTS = process.env.HYBRIDCI_SCREENSHOTS ?? 'target/screenshots';
const CHROMIUM = process.env.HYBRIDCI_CHROMIUM ?? '/usr/bin/chromium';
const JAVA = process.env.HYBRIDCI_JAVA ?? 'java';
const CLASSPATH = process.env.HYBRIDCI_CLASSPATH;
const PUBLIC = fileURLToPath(new URL('../public', import.meta.url));

let provider;
let browser;
let page;
let profile;
let cliData;
const consoleErrors = [];
const offLoopback = [];

const sha256 = (text) => createHash('sha256').update(text).digest('base64url');

before(async () => {
  assert.ok(BASE && TOKEN && BUILD_ID, 'HYBRIDCI_URL, HYBRIDCI_ADMIN_TOKEN and HYBRIDCI_BUILD_ID must be set (DashboardBrowserIT sets them)');
  provider = await startOidcProvider({ publicDir: PUBLIC, apiTarget: BASE, adminToken: TOKEN });
  profile = mkdtempSync(join(tmpdir(), 'hybridci-chromium-oidc-'));
  cliData = mkdtempSync(join(tmpdir(), 'hybridci-cli-login-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = browser.pages()[0] ?? await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:') offLoopback.push(request.url());
  });
});

after(async () => {
  await browser?.close();
  await provider?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (cliData) rmSync(cliData, { recursive: true, force: true });
});

/** The API calls the site forwarded since `from`, each with the Authorization header it carried. */
function apiCallsSince(from) {
  return provider.state.apiRequests.slice(from);
}

test('should sign in with the code flow, PKCE S256 and state, and call the API with the ID token, when config.json names a provider', async () => {
  provider.state.user = { sub: 'op-1', email: 'olga@example.com', groups: ['operator'] };
  await page.goto(`${provider.site}/#/builds`);
  await page.locator(`#builds-body tr[data-build-id="${BUILD_ID}"]`).waitFor({ timeout: 30_000 });

  assert.equal(provider.state.authorizations.length, 1, 'one trip to the provider');
  const authorization = provider.state.authorizations[0];
  assert.equal(authorization.response_type, 'code');
  assert.equal(authorization.client_id, CLIENT_ID);
  assert.equal(authorization.redirect_uri, provider.redirectUri);
  assert.equal(authorization.code_challenge_method, 'S256');
  assert.match(authorization.code_challenge, /^[A-Za-z0-9_-]{43}$/, 'a base64url SHA-256');
  assert.ok(authorization.state?.length >= 32, `a random state: ${authorization.state}`);
  assert.ok(authorization.nonce?.length >= 32, 'a nonce for the ID token');

  const exchange = provider.state.tokenRequests.find((entry) => entry.form.grant_type === 'authorization_code');
  assert.equal(exchange.verifierMatches, true, 'the token request sent the verifier of the challenge');
  assert.equal(sha256(exchange.form.code_verifier), authorization.code_challenge);
  assert.equal(exchange.form.redirect_uri, provider.redirectUri);
  assert.equal(exchange.form.client_id, CLIENT_ID);

  const idToken = provider.state.issued.at(-1);
  const calls = apiCallsSince(0);
  assert.ok(calls.length > 0, 'the page called the API');
  assert.ok(calls.every((call) => call.authorization === `Bearer ${idToken}`), 'every API call carries the ID token');
  assert.ok(calls.every((call) => call.status === 200), `the stand-in authorizer accepted them: ${calls.map((c) => c.status)}`);

  assert.equal(new URL(page.url()).search, '', 'the code and state are gone from the address');
  assert.equal(new URL(page.url()).hash, '#/builds', 'back where sign-in started');
  assert.equal(await page.locator('#sign-in').evaluate((dialog) => dialog.open), false, 'no admin-token prompt');
  assert.equal(await page.locator('#whoami').innerText(), 'olga@example.com · operator');
  const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('hybridci.oidc.tokens')));
  assert.equal(stored.idToken, idToken);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('hybridci.oidc.pending')), null, 'the verifier is not kept');
  await page.screenshot({ path: join(SHOTS, '11-oidc-signed-in.png'), fullPage: true });
});

test('should offer an operator the job buttons, when the build page opens', async () => {
  await page.goto(`${provider.site}/#/builds/${BUILD_ID}`);
  await page.locator('#jobs li[data-key="slow"]').waitFor({ timeout: 30_000 });
  // After the first browser file: "slow" was canceled and "release" approved, so both can be retried.
  await page.locator('#jobs li[data-key="slow"] button[data-action="retry"]').waitFor();
});

test('should refresh the ID token before it expires, when the page calls the API', async () => {
  const before = provider.state.issued.length;
  const from = provider.state.apiRequests.length;
  // As if an hour had passed: the stored token is about to expire.
  await page.evaluate(() => {
    const tokens = JSON.parse(sessionStorage.getItem('hybridci.oidc.tokens'));
    sessionStorage.setItem('hybridci.oidc.tokens', JSON.stringify({ ...tokens, expiresAt: Date.now() }));
  });
  await waitFor(() => provider.state.issued.length > before, 'a refreshed token');
  const refresh = provider.state.tokenRequests.at(-1);
  assert.equal(refresh.form.grant_type, 'refresh_token');
  const refreshed = provider.state.issued.at(-1);
  await waitFor(() => apiCallsSince(from).some((call) => call.authorization === `Bearer ${refreshed}`), 'a call with the new token');
  assert.equal(provider.state.authorizations.length, 1, 'no new trip to the provider');
});

test('should sign in again, when the API refuses the token and the refresh token is revoked', async () => {
  provider.revokeAll();
  await waitFor(() => provider.state.authorizations.length === 2, 'a second trip to the provider', 30_000);
  const second = provider.state.authorizations[1];
  assert.notEqual(second.state, provider.state.authorizations[0].state, 'a fresh state');
  assert.notEqual(second.code_challenge, provider.state.authorizations[0].code_challenge, 'a fresh verifier');
  const newToken = () => provider.state.issued.at(-1);
  await waitFor(() => provider.state.apiRequests.at(-1)?.authorization === `Bearer ${newToken()}`
    && provider.state.apiRequests.at(-1)?.status === 200, 'calls with the new sign-in');
  await page.locator('#jobs li[data-key="slow"]').waitFor({ timeout: 30_000 });
  assert.equal(new URL(page.url()).hash, `#/builds/${BUILD_ID}`, 'back on the build page');
});

test('should hide what a viewer may not do, when a viewer signs in', async () => {
  provider.state.user = { sub: 'view-1', email: 'vic@example.com', groups: ['viewer'] };
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.locator('#jobs li[data-key="slow"]').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('#whoami').innerText(), 'vic@example.com · viewer');
  assert.equal(await page.locator('#jobs button[data-action]').count(), 0, 'no cancel, retry, approve or reject');
  await page.click('a[data-nav="agents"]');
  await page.locator('#agents-body tr[data-agent-id]').first().waitFor();
  assert.equal(await page.locator('#agents-body button[data-action]').count(), 0, 'no pause, resume or drain');
  assert.equal(await page.locator('a[data-nav="dead-letters"]').isHidden(), true, 'dead letters are for admins only');
  await page.screenshot({ path: join(SHOTS, '12-oidc-viewer-agents.png'), fullPage: true });
});

test('should forget the tokens and end the provider session, when Sign out is clicked', async () => {
  provider.state.autoApprove = false; // the provider's page now waits for a person
  await page.click('#sign-out');
  await page.locator('#provider-sign-in').waitFor({ timeout: 30_000 });
  assert.equal(provider.state.logouts.length, 1);
  assert.equal(provider.state.logouts[0].client_id, CLIENT_ID);
  assert.equal(provider.state.logouts[0].logout_uri, provider.redirectUri);
  assert.ok(page.url().startsWith(`${provider.issuer}/oauth2/authorize`), `the page asks the provider again: ${page.url()}`);
  await page.goto(`${provider.site}/favicon.svg`);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('hybridci.oidc.tokens')), null, 'no token left in the tab');
  provider.state.autoApprove = true;
});

test('should sign the CLI in with a loopback redirect and send its token, when ./hybridci login runs', async () => {
  assert.ok(CLASSPATH, 'HYBRIDCI_CLASSPATH must be set (DashboardBrowserIT sets it)');
  provider.state.user = { sub: 'op-2', email: 'cli@example.com', groups: ['operator'] };
  const before = provider.state.authorizations.length;
  const login = cli(['login', '--url', provider.site, '--data', cliData, '--callback-port', '0']);
  // The CLI prints the address to open; the test plays the browser.
  const address = await login.waitForOutput(/(http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?\S+)/);
  const authorize = await fetch(address, { redirect: 'manual' });
  assert.equal(authorize.status, 302);
  const callback = new URL(authorize.headers.get('location'));
  assert.equal(callback.hostname, 'localhost', 'the loopback redirect Cognito allows');
  callback.hostname = '127.0.0.1'; // where the CLI listens
  const landing = await fetch(callback);
  assert.equal(landing.status, 200);
  assert.match(await landing.text(), /signed in/i);
  const exit = await login.exit;
  assert.equal(exit.code, 0, exit.output);
  assert.match(exit.output, /cli@example\.com \(operator\)/);

  const authorization = provider.state.authorizations[before];
  assert.equal(authorization.code_challenge_method, 'S256');
  assert.ok(authorization.state.length >= 32);
  const exchange = provider.state.tokenRequests.at(-1);
  assert.equal(exchange.verifierMatches, true, 'the CLI sent the verifier of its challenge');
  assert.equal(exchange.form.redirect_uri, authorization.redirect_uri);

  const files = readFileSync(join(cliData, 'sign-in', `127.0.0.1_${new URL(provider.site).port}.json`), 'utf8');
  const mode = statSync(join(cliData, 'sign-in', `127.0.0.1_${new URL(provider.site).port}.json`)).mode & 0o777;
  assert.equal(mode, 0o600, 'the token file is the owner\'s only');
  const idToken = provider.state.issued.at(-1);
  assert.ok(files.includes(idToken));

  const from = provider.state.apiRequests.length;
  const builds = cli(['builds', '--url', provider.site, '--data', cliData, '--json']);
  const listed = await builds.exit;
  assert.equal(listed.code, 0, listed.output);
  assert.ok(listed.output.includes(BUILD_ID), 'the build is listed through the sign-in');
  assert.ok(apiCallsSince(from).length > 0 && apiCallsSince(from).every((call) => call.authorization === `Bearer ${idToken}`),
    'the CLI sends the ID token');

  const logout = await cli(['logout', '--url', provider.site, '--data', cliData]).exit;
  assert.equal(logout.code, 0, logout.output);
  const refused = await cli(['builds', '--url', provider.site, '--data', cliData]).exit;
  assert.notEqual(refused.code, 0, 'signed out: no token for that URL');
});

test('should have made no request off loopback and logged no error, when signing in and out', () => {
  assert.deepEqual(offLoopback, []);
  // Once the tokens are revoked the stand-in answers 401 and the token endpoint refuses the refresh (the page then
  // signs in again): those two are expected.
  assert.deepEqual(consoleErrors.filter((text) => !text.includes('401') && !text.includes('/oauth2/token')), []);
});

async function waitFor(condition, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Runs io.hybridci.local.cli.Cli as ./hybridci does; HYBRIDCI_TOKEN left out, so only the sign-in can authenticate. */
function cli(args) {
  const env = { ...process.env };
  delete env.HYBRIDCI_TOKEN;
  const child = spawn(JAVA, ['-cp', CLASSPATH, 'io.hybridci.local.cli.Cli', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = [];
  const onData = (chunk) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = output.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match[1]);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exit = new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    for (const waiter of waiters) waiter.reject(new Error(`the CLI ended (${code}) before printing ${waiter.pattern}:\n${output}`));
    resolve({ code, output });
  }));
  return {
    exit,
    waitForOutput(pattern) {
      return new Promise((resolve, reject) => {
        const match = output.match(pattern);
        if (match) resolve(match[1]);
        else waiters.push({ pattern, resolve, reject });
      });
    },
  };
}
