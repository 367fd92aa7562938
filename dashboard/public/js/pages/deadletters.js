// Dead letters (GET /dead-letters, admin only): every dead-letter and failure queue with what it keeps and about
// how many messages it holds, and, for the queue picked, up to 100 of its messages with the attributes that say
// why each is there. It does not refresh by itself like the other pages: every look is a receive (receiveCount
// rises) and hides the messages for the moment of the browse, so it reads when opened, when a queue is picked and
// on Refresh.

import { api, query } from '../api.js';
import { h, time } from '../dom.js';

/** As many as the API shows of one queue. */
const MESSAGES_SHOWN = 100;
/** The attributes that say why a message is there, shown first. */
const REASONS = ['hybridci-rejection-code', 'hybridci-rejection-detail', 'hybridci-rejected-message-id',
  'ERROR_CODE', 'ERROR_MESSAGE', 'RULE_ARN', 'TARGET_ARN'];

export function deadLettersPage() {
  let chosen = null;
  let loaded = false;
  const body = h('tbody', { id: 'dead-letter-queues' });
  const heading = h('h2', { id: 'dead-letter-heading', hidden: true });
  const messages = h('div', { id: 'dead-letter-messages' });
  const error = h('p', { class: 'error', hidden: true });
  const element = h('section', {},
    h('h1', {}, 'Dead letters'),
    h('p', { class: 'small muted' }, 'Every look is a receive (the count of receives rises), so this page reads when it opens, '
      + 'when a queue is picked and on Refresh, not by itself. Bodies are cut at 4 KiB; secrets are [redacted].'),
    error,
    h('table', { id: 'dead-letters' },
      h('thead', {}, h('tr', {}, ['Queue', 'Messages', 'Kind', 'Dead letters of'].map((t) => h('th', {}, t)))),
      body),
    h('div', { class: 'pager' }, h('button', { type: 'button', id: 'dead-letters-refresh', onclick: () => load().catch(show) }, 'Refresh')),
    heading, messages);

  function show(failure) {
    error.hidden = false;
    error.textContent = `Could not read the dead letters: ${failure.message}`;
  }

  async function load() {
    const listing = await api(`/dead-letters${query({ limit: 1 })}`);
    error.hidden = true;
    chosen ??= listing.queues.find((queue) => queue.approximateMessages > 0)?.queue ?? null;
    body.replaceChildren(...listing.queues.map((queue) => h('tr', {
      class: `clickable${queue.queue === chosen ? ' selected' : ''}`,
      dataset: { queue: queue.queue, messages: queue.approximateMessages },
      onclick: () => {
        chosen = queue.queue;
        body.querySelectorAll('tr').forEach((row) => row.classList.toggle('selected', row.dataset.queue === chosen));
        loadMessages().catch(show);
      },
    },
    h('td', {}, h('strong', {}, queue.queue)),
    h('td', { class: queue.approximateMessages > 0 ? 'error' : '' }, queue.approximateMessages),
    h('td', {}, queue.kind),
    h('td', { class: 'mono small' }, queue.deadLetterOf))));
    await loadMessages();
  }

  async function loadMessages() {
    heading.hidden = !chosen;
    if (!chosen) {
      messages.replaceChildren(h('p', { class: 'muted' }, 'Every queue is empty: nothing has been dead-lettered.'));
      return;
    }
    const answer = await api(`/dead-letters${query({ queue: chosen, limit: MESSAGES_SHOWN })}`);
    const queue = answer.queues[0];
    heading.textContent = `${queue.queue}: ${queue.messages.length} of about ${queue.approximateMessages} shown`;
    messages.replaceChildren(...(queue.messages.length ? queue.messages.map(deadLetter)
      : [h('p', { class: 'muted' }, 'No message in this queue right now.')]));
  }

  return {
    element,
    // The router calls this on every poll: read once, then only when asked (see the top of the file).
    async refresh() {
      if (loaded) return;
      await load();
      loaded = true;
    },
    showError: show,
  };
}

function deadLetter(message) {
  const names = Object.keys(message.attributes)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return h('article', { class: 'card dead-letter', dataset: { messageId: message.messageId } },
    h('div', { class: 'small muted' }, h('span', { class: 'mono' }, message.messageId), ' · sent ', time(message.sentAt),
      ` · received ${message.receiveCount} times`),
    names.length ? h('dl', { class: 'attributes' }, names.map((name) => [
      h('dt', { class: 'mono small' }, name),
      h('dd', { class: 'mono small', dataset: { attribute: name } }, message.attributes[name])]))
      : h('p', { class: 'small muted' }, 'No attributes.'),
    h('pre', { class: 'body' }, message.body),
    message.bodyTruncated ? h('p', { class: 'small muted' }, `The first 4 KiB of ${message.bodyBytes} bytes.`) : null);
}

function rank(name) {
  const index = REASONS.indexOf(name);
  return index < 0 ? REASONS.length : index;
}
