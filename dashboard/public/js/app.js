// The dashboard: a hash router over five pages, each of which renders once and then refreshes
// itself by polling (the API is plain request/response on Lambda, so polling is what works both
// locally and behind API Gateway; see docs/dashboard.md).

import { api, setToken, token, whenUnauthorized } from './api.js';
import { POLL_MILLIS } from './config.js';
import { buildsPage } from './pages/builds.js';
import { buildPage } from './pages/build.js';
import { agentsPage } from './pages/agents.js';
import { queuesPage } from './pages/queues.js';
import { auditPage } from './pages/audit.js';


const routes = [
  { pattern: /^#\/builds\/([^/]+)$/, nav: 'builds', page: (match) => buildPage(decodeURIComponent(match[1])) },
  { pattern: /^#\/agents$/, nav: 'agents', page: () => agentsPage() },
  { pattern: /^#\/queues$/, nav: 'queues', page: () => queuesPage() },
  { pattern: /^#\/audit$/, nav: 'audit', page: () => auditPage() },
  { pattern: /^(#\/builds)?$|^#\/?$/, nav: 'builds', page: () => buildsPage() },
];

let current = null; // { stop() }
let timer = null;

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
  if (!token()) {
    askForToken();
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
  setToken(null);
  current?.stop?.();
  current = null;
  show();
});

whenUnauthorized(() => {
  setToken(null);
  current?.stop?.();
  current = null;
  document.getElementById('main').replaceChildren();
  askForToken();
});

window.addEventListener('hashchange', show);
document.getElementById('sign-out').hidden = !token();
show();
