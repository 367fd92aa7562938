// The dashboard: a hash router over six pages, each of which renders once and then refreshes
// itself by polling (the API is plain request/response on Lambda, so polling is what works both
// locally and behind API Gateway; see docs/dashboard.md).

import { api, may, setRole, setToken, token, useBearer, whenUnauthorized } from './api.js';
import { POLL_MILLIS } from './config.js';
import { loadConfig, OidcSession } from './oidc.js';
import { buildsPage } from './pages/builds.js';
import { buildPage } from './pages/build.js';
import { agentsPage } from './pages/agents.js';
import { queuesPage } from './pages/queues.js';
import { auditPage } from './pages/audit.js';
import { deadLettersPage } from './pages/deadletters.js';
import { h } from './dom.js';


const routes = [
  { pattern: /^#\/builds\/([^/]+)$/, nav: 'builds', page: (match) => buildPage(decodeURIComponent(match[1])) },
  { pattern: /^#\/agents$/, nav: 'agents', page: () => agentsPage() },
  { pattern: /^#\/queues$/, nav: 'queues', page: () => queuesPage() },
  { pattern: /^#\/audit$/, nav: 'audit', page: () => auditPage() },
  { pattern: /^#\/dead-letters$/, nav: 'dead-letters', page: () => deadLettersPage() },
  { pattern: /^(#\/builds)?$|^#\/?$/, nav: 'builds', page: () => buildsPage() },
];

let current = null; // { stop() }
let timer = null;
let oidc = null; // the OIDC sign-in when config.json names a provider (AWS); null with the admin token (local)

function liveIndicator(ok) {
  const live = document.getElementById('live');
  live.classList.toggle('stale', !ok);
  live.textContent = ok ? '● live' : '● not updating';
  live.title = ok ? 'the page refreshes itself' : 'the last refresh failed; retrying';
}

async function show() {
  current?.stop?.();
  clearTimeout(timer);
  const route = routes.find((candidate) => candidate.pattern.test(location.hash)) ?? routes[routes.length - 1];
  const match = location.hash.match(route.pattern);
  document.querySelectorAll('[data-nav]').forEach((link) => link.classList.toggle('current', link.dataset.nav === route.nav));
  const main = document.getElementById('main');
  main.replaceChildren();
  if (oidc ? !oidc.signedIn() : !token()) {
    signIn();
    return;
  }
  const page = route.page(match);
  current = page;
  main.append(page.element);
  const tick = async () => {
    if (current !== page) return;
    try {
      await page.refresh();
      liveIndicator(true);
    } catch (failure) {
      liveIndicator(false);
      page.showError?.(failure);
    }
    if (current === page) timer = setTimeout(tick, POLL_MILLIS);
  };
  tick();
}

function signIn() {
  if (oidc) {
    document.getElementById('main').replaceChildren(h('p', { class: 'muted' }, 'Signing in…'));
    oidc.signIn();
    return;
  }
  askForToken();
}

function askForToken() {
  const dialog = document.getElementById('sign-in');
  document.getElementById('sign-out').hidden = true;
  if (!dialog.open) dialog.showModal();
  document.getElementById('token-input').focus();
}

document.getElementById('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('token-input');
  const error = document.getElementById('sign-in-error');
  setToken(input.value.trim());
  try {
    await api('/builds?limit=1');
    error.hidden = true;
    input.value = '';
    document.getElementById('sign-in').close();
    document.getElementById('sign-out').hidden = false;
    show();
  } catch (failure) {
    setToken(null);
    error.hidden = false;
    error.textContent = failure.status === 401 ? 'That token was refused.' : `Sign-in failed: ${failure.message}`;
  }
});

document.getElementById('sign-out').addEventListener('click', () => {
  current?.stop?.();
  current = null;
  if (oidc) {
    oidc.signOut();
    return;
  }
  setToken(null);
  show();
});

whenUnauthorized(() => {
  current?.stop?.();
  current = null;
  document.getElementById('main').replaceChildren();
  if (oidc) {
    oidc.forget();
  } else {
    setToken(null);
  }
  signIn();
});

/** Who is signed in and as what, next to Sign out: the buttons a page offers follow the role. */
function showIdentity() {
  const who = document.getElementById('whoami');
  const identity = oidc?.identity();
  who.hidden = !identity;
  if (!identity) return;
  setRole(identity.role);
  who.textContent = `${identity.email} · ${identity.role ?? 'no role'}`;
  who.dataset.role = identity.role ?? '';
  document.body.dataset.role = identity.role ?? '';
  // Only an admin may read dead letters (a dead letter may be any message at all): no link for anyone else.
  document.querySelector('a[data-nav="dead-letters"]').hidden = !may('admin');
}

async function start() {
  const config = await loadConfig();
  if (config.mode === 'oidc') {
    oidc = new OidcSession(config.oidc);
    useBearer(() => oidc.bearer(), () => oidc.refresh());
    await oidc.completeSignIn();
    if (!oidc.signedIn()) {
      signIn();
      return;
    }
    showIdentity();
    document.getElementById('sign-out').hidden = false;
  } else {
    document.getElementById('sign-out').hidden = !token();
  }
  window.addEventListener('hashchange', show);
  show();
}

start().catch((failure) => {
  // A refused code or a broken config.json: say so, and offer a fresh start rather than a loop of redirects.
  const retry = h('button', { type: 'button', id: 'sign-in-again', onclick: () => { location.hash = ''; location.reload(); } }, 'Sign in again');
  document.getElementById('main').replaceChildren(
    h('p', { class: 'error', id: 'sign-in-failure' }, `Sign-in failed: ${failure.message}`), retry);
});
