// The dashboard in Debian's headless Chromium against a running local cloud with a real agent.
// Started by DashboardBrowserIT (./hybridci test), which sets:
//   HYBRIDCI_URL          the local cloud's gateway
//   HYBRIDCI_ADMIN_TOKEN  the admin token to sign in with
//   HYBRIDCI_BUILD_ID     a build whose job "slow" prints coloured lines for a while (to stream, then cancel),
//                         whose block step "release" waits for approval, and whose block step "deploy" asks for
//                         fields (environment: staging|production, required; ticket: free text, optional)
//   HYBRIDCI_POISON_MESSAGE_ID  an unsigned agent message (with markup in its body) job-updater rejected and
//                         kept in agent-updates-dlq
//   HYBRIDCI_SCREENSHOTS  where screenshots go (target/screenshots)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.HYBRIDCI_URL;
const TOKEN = process.env.HYBRIDCI_ADMIN_TOKEN;
const BUILD_ID = process.env.HYBRIDCI_BUILD_ID;
const POISON_MESSAGE_ID = process.env.HYBRIDCI_POISON_MESSAGE_ID;
const SHOTS = process.env.HYBRIDCI_SCREENSHOTS ?? 'target/screenshots';
const CHROMIUM = process.env.HYBRIDCI_CHROMIUM ?? '/usr/bin/chromium';

let browser;
let page;
let profile;
const consoleErrors = [];
const offLoopback = [];

async function api(path, method = 'GET') {
  const response = await fetch(`${BASE}/api/v1${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, json: await response.json().catch(() => null) };
}

before(async () => {
  assert.ok(BASE && TOKEN && BUILD_ID, 'HYBRIDCI_URL, HYBRIDCI_ADMIN_TOKEN and HYBRIDCI_BUILD_ID must be set (DashboardBrowserIT sets them)');
  mkdirSync(SHOTS, { recursive: true });
  profile = mkdtempSync(join(tmpdir(), 'hybridci-chromium-'));
  // The flags keep Chromium off the network: this machine has none beyond loopback.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = browser.pages()[0] ?? await browser.newPage();
  // The URL goes with the text: Chromium's "Failed to load resource" message does not name it.
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:') offLoopback.push(request.url());
  });
});

after(async () => {
  // What the page showed last, for a failure read from CI's output alone (the screenshots stay behind).
  if (page) {
    const shown = await page.evaluate(() => ({
      url: location.href,
      errors: [...document.querySelectorAll('.error:not([hidden])')].map((element) => element.textContent),
      jobs: [...document.querySelectorAll('#jobs li')].map((li) => `${li.dataset.key}:${li.dataset.state}`),
    })).catch((failure) => ({ unavailable: String(failure) }));
    console.log(`# last page: ${JSON.stringify(shown)}; console errors: ${JSON.stringify(consoleErrors)}`);
  }
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('should ask for the admin token once, when the page opens without one', async () => {
  await page.goto(`${BASE}/?poll=500#/builds`);
  await page.locator('#sign-in[open]').waitFor();
  await page.screenshot({ path: join(SHOTS, '01-sign-in.png') });
  await page.fill('#token-input', 'hcadmin_wrong');
  await page.click('#sign-in-submit');
  await page.locator('#sign-in-error').getByText('refused').waitFor();
  await page.fill('#token-input', TOKEN);
  await page.click('#sign-in-submit');
  await page.locator('#sign-in[open]').waitFor({ state: 'detached' }).catch(() => {});
  assert.equal(await page.locator('#sign-in').evaluate((dialog) => dialog.open), false);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('hybridci.adminToken')), TOKEN);
});

test('should list the pushed build, when the builds page shows', async () => {
  const row = page.locator(`#builds-body tr[data-build-id="${BUILD_ID}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /acme\/dashboard-demo/);
  await page.selectOption('#filter-state', 'PASSED');
  await row.waitFor({ state: 'detached' });
  await page.selectOption('#filter-state', '');
  await row.waitFor();
  await page.screenshot({ path: join(SHOTS, '02-builds.png'), fullPage: true });
  // The README's picture (docs/img/builds.png is copied from it): the header and the list, not the empty page below.
  const listBottom = await page.locator('#builds').evaluate((table) => table.getBoundingClientRect().bottom);
  await page.screenshot({ path: join(SHOTS, 'readme-builds.png'), clip: { x: 0, y: 0, width: 1280, height: Math.ceil(listBottom) + 24 } });
});

test('should stream the running job log with colours, when the build page is open', async () => {
  await page.click(`#builds-body tr[data-build-id="${BUILD_ID}"] a`);
  const slow = page.locator('#jobs li[data-key="slow"]');
  await slow.waitFor({ timeout: 90_000 });
  await page.locator('#jobs li[data-key="slow"][data-state="RUNNING"]').waitFor({ timeout: 90_000 });
  await slow.click();
  // Exactly "tick 1": by the time the page opens the job may be past tick 10, and "tick 1" alone matches those too.
  await page.locator('#log span.ansi-fg-32', { hasText: /^tick 1$/ }).waitFor({ timeout: 60_000 });
  // The job may have printed many ticks before the page opened: what counts is that the shown log grows
  // by the next tick (one a second) while the page stays as it is.
  const before = await page.locator('#log').innerText();
  await page.waitForFunction((length) => document.querySelector('#log').innerText.length > length, before.length,
    { timeout: 60_000 });
  const later = await page.locator('#log').innerText();
  assert.ok(later.startsWith(before.trimEnd()), 'the log grew at its end, without a reload');
  assert.match(later, /tick \d+/);
  assert.equal(await page.locator('#log-status').getAttribute('data-complete'), 'false');
  assert.ok(!later.includes('\u001b['), 'no raw escape sequence is shown');
  await page.screenshot({ path: join(SHOTS, '03-build-log-streaming.png'), fullPage: true });
});

test('should cancel the running job, when Cancel is clicked on the build page', async () => {
  await page.click('#jobs li[data-key="slow"] button[data-action="cancel"]');
  await page.locator('#jobs li[data-key="slow"][data-state="CANCELED"]').waitFor({ timeout: 60_000 });
  const job = (await api(`/builds/${BUILD_ID}`)).json.jobs.find((candidate) => candidate.key === 'slow');
  assert.equal(job.state, 'CANCELED');
  await page.locator('#log-status[data-complete="true"]').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(SHOTS, '04-build-canceled.png'), fullPage: true });
});

test('should approve the block step, when Approve is clicked on the build page', async () => {
  const release = page.locator('#jobs li[data-key="release"]');
  await page.locator('#jobs li[data-key="release"][data-state="BLOCKED"]').waitFor({ timeout: 60_000 });
  await release.locator('button[data-action="approve"]').click();
  await page.locator('#jobs li[data-key="release"][data-state="PASSED"]').waitFor({ timeout: 30_000 });
  const job = (await api(`/builds/${BUILD_ID}`)).json.jobs.find((candidate) => candidate.key === 'release');
  assert.equal(job.state, 'PASSED');
  assert.equal(await release.locator('button[data-action="approve"]').count(), 0, 'a decided step offers no Approve');
});

test('should ask for the fields and show the API\'s refusal beside the form, when Approve is clicked on a step with fields', async () => {
  const deploy = page.locator('#jobs li[data-key="deploy"]');
  await page.locator('#jobs li[data-key="deploy"][data-state="BLOCKED"]').waitFor({ timeout: 60_000 });
  await deploy.locator('button[data-action="approve"]').click();
  const form = page.locator('#approval-form');
  await form.waitFor();
  assert.match(await form.innerText(), /Where should this build go\?/);
  // A choice is a select (no preset: the step has no default), free text an input; the required one is marked.
  const choices = await form.locator('select[name="environment"] option').evaluateAll((options) => options.map((o) => o.value));
  assert.deepEqual(choices, ['', 'staging', 'production']);
  assert.equal(await form.locator('input[type="text"][name="ticket"]').count(), 1);
  assert.equal(await form.locator('label[data-field="environment"] .required').count(), 1);
  assert.equal(await form.locator('label[data-field="ticket"] .required').count(), 0);

  // Nothing chosen: the API refuses (400 invalid_fields), the page says why next to the form, the step stays blocked.
  await form.locator('#approval-submit').click();
  const problem = page.locator('#approval-error[data-code="invalid_fields"]');
  await problem.waitFor();
  assert.match(await problem.innerText(), /"environment" is required/);
  assert.equal((await api(`/builds/${BUILD_ID}`)).json.jobs.find((job) => job.key === 'deploy').state, 'BLOCKED');
  await page.screenshot({ path: join(SHOTS, '04b-approval-fields.png'), fullPage: true });

  await page.selectOption('select[name="environment"]', 'staging');
  await page.fill('input[name="ticket"]', 'CHG-42');
  await form.locator('#approval-submit').click();
  await page.locator('#jobs li[data-key="deploy"][data-state="PASSED"]').waitFor({ timeout: 30_000 });
  await form.waitFor({ state: 'detached' });
  assert.equal((await api(`/builds/${BUILD_ID}`)).json.jobs.find((job) => job.key === 'deploy').state, 'PASSED');
});

test('should show queues, percentiles and results, when the queues page opens', async () => {
  await page.click('a[data-nav="queues"]');
  await page.locator('#queues-body tr[data-queue="default"]').waitFor();
  await page.locator('#charts .chart').nth(2).waitFor();
  const passed = Number(await page.locator('#figure-passed .value').innerText());
  assert.ok(passed >= 1, `at least the bootstrap job passed, shown ${passed}`);
  await page.screenshot({ path: join(SHOTS, '05-queues.png'), fullPage: true });
});

test('should drain an agent, when Drain is clicked on the agents page', async () => {
  await page.click('a[data-nav="agents"]');
  const agents = await api('/agents');
  assert.equal(agents.status, 200, 'GET /api/v1/agents (issue 6) answers');
  const row = page.locator('#agents-body tr[data-state="CONNECTED"]').first();
  await row.waitFor();
  await page.screenshot({ path: join(SHOTS, '06-agents.png'), fullPage: true });
  const agentId = await row.getAttribute('data-agent-id');
  await row.locator('button[data-action="drain"]').click();
  await page.locator(`#agents-body tr[data-agent-id="${agentId}"][data-state="DRAINING"]`).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(SHOTS, '07-agent-draining.png'), fullPage: true });
});

test('should show the audit trail with the chain verified, when the audit page opens', async () => {
  await page.click('a[data-nav="audit"]');
  await page.locator('#verification[data-ok="true"]').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('#verification').innerText(), /Chain verified/);
  await page.locator('#audit-body tr[data-chain]').first().waitFor();
  await page.fill('#audit-entity', `build:${BUILD_ID}`);
  await page.click('#audit-filters button[type="submit"]');
  // The filtered page replaces the unfiltered one: wait until every row is the build's.
  await page.waitForFunction((chain) => {
    const rows = [...document.querySelectorAll('#audit-body tr[data-chain]')];
    return rows.length > 0 && rows.every((row) => row.dataset.chain === chain);
  }, `build:${BUILD_ID}`, { timeout: 30_000 });
  const chains = await page.locator('#audit-body tr').evaluateAll((rows) => rows.map((row) => row.dataset.chain));
  assert.ok(chains.every((chain) => chain === `build:${BUILD_ID}`), `only the build's chain is listed: ${chains}`);
  await page.fill('#audit-entity', '');
  await page.fill('#audit-actor', 'user:admin');
  await page.click('#audit-filters button[type="submit"]');
  // The admin canceled the slow job, approved the block step and drained an agent (on the agent's chain),
  // so the admin's page holds the job's cancel and nothing done by anyone else.
  const slowJob = (await api(`/builds/${BUILD_ID}`)).json.jobs.find((candidate) => candidate.key === 'slow');
  await page.waitForFunction((jobChain) => {
    const rows = [...document.querySelectorAll('#audit-body tr[data-chain]')];
    return rows.some((row) => row.dataset.chain === jobChain) && rows.every((row) => row.dataset.actor === 'user:admin');
  }, `job:${slowJob.id}`, { timeout: 30_000 });
  const actors = await page.locator('#audit-body tr[data-chain]').evaluateAll((rows) => rows.map((row) => row.dataset.actor));
  assert.ok(actors.every((actor) => actor === 'user:admin'), `only the admin's actions are listed: ${actors}`);
  await page.screenshot({ path: join(SHOTS, '08-audit.png'), fullPage: true });
});

test('should show the rejected agent message and why, as text, when the dead letters page opens', async () => {
  assert.ok(POISON_MESSAGE_ID, 'HYBRIDCI_POISON_MESSAGE_ID must be set (DashboardBrowserIT sets it)');
  await page.click('a[data-nav="dead-letters"]');
  const queue = page.locator('#dead-letter-queues tr[data-queue="agent-updates-dlq"]');
  await queue.waitFor();
  assert.ok(Number(await queue.getAttribute('data-messages')) >= 1, 'agent-updates-dlq holds the rejected message');
  await queue.click();
  const kept = page.locator('#dead-letter-messages article.dead-letter').filter({
    has: page.locator(`dd[data-attribute="hybridci-rejected-message-id"]`, { hasText: POISON_MESSAGE_ID }),
  });
  await kept.waitFor({ timeout: 30_000 });
  assert.equal(await kept.locator('dd[data-attribute="hybridci-rejection-code"]').innerText(), 'malformed');
  assert.match(await kept.locator('pre.body').innerText(), /browser-it poison <b>not bold<\/b>/, 'the body, as text');
  assert.equal(await kept.locator('pre.body b').count(), 0, 'no markup from a message reaches the page');
  // The reason comes first among the attributes.
  assert.equal(await kept.locator('dt').first().innerText(), 'hybridci-rejection-code');
  await page.screenshot({ path: join(SHOTS, '09-dead-letters.png'), fullPage: true });
});

test('should have made no request off loopback and logged no error, when every page was shown', () => {
  assert.deepEqual(offLoopback, []);
  // Chromium logs every 4xx answer: the refused token of the first test and the refused approval are expected.
  assert.deepEqual(consoleErrors.filter((text) => !text.includes('401') && !(text.includes('400') && text.includes('/approve'))), []);
});
