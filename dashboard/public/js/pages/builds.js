// Builds, newest first, refreshed in place; filters by repo, branch and state apply to the
// builds loaded so far ("Load more" pages on with the API's cursor).

import { api, query } from '../api.js';
import { ago, between, duration, h, stateBadge } from '../dom.js';

const BUILD_STATES = ['', 'CREATED', 'RUNNING', 'BLOCKED', 'PASSED', 'FAILED', 'CANCELED'];
const PAGE = 50;

export function buildsPage() {
  let builds = [];   // every build loaded, newest first
  let next = null;   // cursor after the last loaded page
  const filters = { repo: '', branch: '', state: '' };
  const body = h('tbody', { id: 'builds-body' });
  const error = h('p', { class: 'error', hidden: true });
  const moreButton = h('button', { type: 'button', id: 'load-more', hidden: true, onclick: loadMore }, 'Load more');
  const empty = h('div', { id: 'empty-state' });
  const table = h('table', { id: 'builds' },
    h('thead', {}, h('tr', {}, ['State', 'Repository', 'Branch', 'Commit', 'Pushed by', 'Started', 'Duration'].map((t) => h('th', {}, t)))),
    body);
  const input = (name, placeholder) => h('input', {
    name, placeholder, id: `filter-${name}`, oninput: (event) => { filters[name] = event.target.value.trim(); render(); },
  });
  const element = h('section', {},
    h('h1', {}, 'Builds'),
    h('div', { class: 'filters' },
      h('label', {}, 'Repository', input('repo', 'owner/name')),
      h('label', {}, 'Branch', input('branch', 'main')),
      h('label', {}, 'State', h('select', {
        id: 'filter-state', onchange: (event) => { filters.state = event.target.value; render(); },
      }, BUILD_STATES.map((state) => h('option', { value: state }, state || 'any'))))),
    error, empty, table, h('div', { class: 'pager' }, moreButton));

  function matches(build) {
    return (!filters.repo || build.repo.includes(filters.repo))
      && (!filters.branch || (build.branch ?? '').includes(filters.branch))
      && (!filters.state || build.state === filters.state);
  }

  function render() {
    const shown = builds.filter(matches);
    empty.replaceChildren();
    table.hidden = builds.length === 0;
    if (builds.length === 0) empty.append(emptyState());
    body.replaceChildren(...shown.map((build) => h('tr', {
      class: 'clickable', dataset: { buildId: build.id }, onclick: () => { location.hash = `#/builds/${encodeURIComponent(build.id)}`; },
    },
    h('td', {}, stateBadge(build.state)),
    h('td', {}, h('a', { href: `#/builds/${encodeURIComponent(build.id)}` }, build.repo)),
    h('td', {}, build.branch ?? build.tag ?? '–'),
    h('td', { class: 'mono', title: build.message ?? '' }, (build.commit ?? '').slice(0, 8), ' ',
      h('span', { class: 'muted' }, (build.message ?? '').split('\n')[0].slice(0, 60))),
    h('td', {}, build.pusher ?? build.author ?? '–'),
    h('td', { title: build.createdAt }, ago(build.createdAt)),
    h('td', {}, duration(between(build.startedAt ?? build.createdAt, build.finishedAt))))));
    if (builds.length > 0 && shown.length === 0) {
      body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No loaded build matches the filters.')));
    }
    moreButton.hidden = !next;
  }

  async function loadMore() {
    const page = await api(`/builds${query({ limit: PAGE, cursor: next })}`);
    const known = new Set(builds.map((build) => build.id));
    builds = builds.concat(page.builds.filter((build) => !known.has(build.id)));
    next = page.next;
    render();
  }

  return {
    element,
    // The first page again: new builds appear on top, changed ones are replaced; older pages stay.
    async refresh() {
      const page = await api(`/builds${query({ limit: PAGE })}`);
      const fresh = new Set(page.builds.map((build) => build.id));
      const oldest = page.builds.at(-1)?.createdAt;
      // Builds loaded by "Load more" stay, below the refreshed first page.
      const rest = builds.filter((build) => !fresh.has(build.id) && oldest && build.createdAt < oldest);
      builds = page.builds.concat(rest);
      if (rest.length === 0) next = page.next;
      error.hidden = true;
      render();
    },
    showError(failure) { error.hidden = false; error.textContent = `Could not refresh: ${failure.message}`; },
  };
}

function emptyState() {
  const origin = location.origin;
  return h('div', { class: 'card empty' },
    h('h2', {}, 'No builds yet'),
    h('p', {}, 'Point a GitHub webhook (content type application/json, events: push and pull request) at:'),
    h('pre', { id: 'webhook-url' }, `${origin}/webhooks/github`),
    h('p', {}, 'with the secret from ', h('code', {}, '.hybridci/webhook-secret'), '. Then start an agent:'),
    h('pre', { id: 'agent-command' }, `./hybridci agent --url ${origin} --token "$(cat .hybridci/registration-token)"`),
    h('p', { class: 'muted' }, 'A push then appears here as a build; its agent checks out the commit and runs .hybridci/pipeline.yml.'));
}
