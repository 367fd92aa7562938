// Agents (the routes of issue 6: GET /agents, POST /agents/{id}/drain|pause|resume): state,
// queues, current job, last heartbeat, version, and the buttons to drain, pause and resume (operator
// and admin only: a viewer gets none, as the API would refuse them).

import { api, may, query } from '../api.js';
import { ago, h, stateBadge } from '../dom.js';

export function agentsPage() {
  let agents = [];
  let next = null;
  const body = h('tbody', { id: 'agents-body' });
  const error = h('p', { class: 'error', hidden: true });
  const moreButton = h('button', { type: 'button', hidden: true, onclick: loadMore }, 'Load more');
  const table = h('table', { id: 'agents' },
    h('thead', {}, h('tr', {}, ['State', 'Name', 'Queues', 'Current job', 'Last heartbeat', 'Version', ''].map((t) => h('th', {}, t)))),
    body);
  const element = h('section', {}, h('h1', {}, 'Agents'), error, table, h('div', { class: 'pager' }, moreButton));

  async function act(event, agent, verb) {
    event.target.disabled = true;
    try {
      await api(`/agents/${encodeURIComponent(agent.id)}/${verb}`, { method: 'POST' });
      await refresh();
    } catch (failure) {
      error.hidden = false;
      error.textContent = `${verb} failed: ${failure.message}`;
      event.target.disabled = false;
    }
  }

  function render() {
    if (agents.length === 0) {
      body.replaceChildren(h('tr', {}, h('td', { colspan: 7, class: 'muted' },
        'No agent has registered. Start one: ', h('code', {},
          `./hybridci agent --url ${location.origin} --token "$(cat .hybridci/registration-token)"`))));
      return;
    }
    body.replaceChildren(...agents.map((agent) => {
      const live = may('operator') && ['CONNECTED', 'PAUSED', 'DRAINING'].includes(agent.state);
      const button = (verb, label) => h('button', { type: 'button', dataset: { action: verb, agentId: agent.id },
        onclick: (event) => act(event, agent, verb) }, label);
      return h('tr', { dataset: { agentId: agent.id, state: agent.state } },
        h('td', {}, stateBadge(agent.state)),
        h('td', {}, agent.name, h('div', { class: 'small muted mono' }, agent.id)),
        h('td', {}, (agent.queues ?? []).join(', ')),
        h('td', {}, agent.currentJobId ?? '–'),
        h('td', { title: agent.lastSeenAt ?? '' }, ago(agent.lastSeenAt)),
        h('td', {}, agent.agentVersion ?? '–'),
        h('td', { class: 'actions' }, live ? [
          agent.state === 'CONNECTED' ? button('pause', 'Pause') : null,
          agent.state !== 'CONNECTED' ? button('resume', 'Resume') : null,
          agent.state !== 'DRAINING' ? button('drain', 'Drain') : null] : null));
    }));
    moreButton.hidden = !next;
  }

  async function loadMore() {
    const page = await api(`/agents${query({ limit: 100, cursor: next })}`);
    agents = agents.concat(page.agents);
    next = page.next;
    render();
  }

  async function refresh() {
    try {
      const page = await api(`/agents${query({ limit: 100 })}`);
      agents = page.agents;
      next = page.next;
      error.hidden = true;
      render();
    } catch (failure) {
      if (failure.status === 404) {
        error.hidden = false;
        error.textContent = 'This control plane has no agent routes yet (GET /api/v1/agents).';
        return;
      }
      throw failure;
    }
  }

  return {
    element,
    refresh,
    showError(failure) { error.hidden = false; error.textContent = `Could not refresh: ${failure.message}`; },
  };
}
