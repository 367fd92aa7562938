// The audit trail: the chain verification result on top (GET /audit/verify), then the records
// (GET /audit) filtered by entity, actor and time, paged with the API's cursor.

import { api, query } from '../api.js';
import { h, time } from '../dom.js';

export function auditPage() {
  const filters = { entity: '', actor: '', from: '', to: '' };
  let cursors = [null]; // cursor of each page shown so far; the last is the current page's
  let next = null;
  const verification = h('div', { id: 'verification', class: 'banner' }, 'Verifying the chains…');
  const body = h('tbody', { id: 'audit-body' });
  const error = h('p', { class: 'error', hidden: true });
  const pageLabel = h('span', { class: 'small muted' });
  const previous = h('button', { type: 'button', id: 'audit-previous', onclick: () => { cursors.pop(); load(); } }, '← Newer pages');
  const nextButton = h('button', { type: 'button', id: 'audit-next', onclick: () => { cursors.push(next); load(); } }, 'More →');
  const input = (name, placeholder, type = 'text') => h('input', { name, placeholder, type, id: `audit-${name}` });
  const form = h('form', { class: 'filters', id: 'audit-filters', onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(form);
    filters.entity = data.get('entity').trim();
    filters.actor = data.get('actor').trim();
    filters.from = toInstant(data.get('from'));
    filters.to = toInstant(data.get('to'));
    cursors = [null];
    load();
  } },
  h('label', {}, 'Entity', input('entity', 'build:<id>, job:<id>, agent:<id>')),
  h('label', {}, 'Actor', input('actor', 'user:admin, agent:<id>, github:<login>')),
  h('label', {}, 'From', input('from', '', 'datetime-local')),
  h('label', {}, 'To', input('to', '', 'datetime-local')),
  h('button', { type: 'submit' }, 'Filter'));
  const element = h('section', {},
    h('h1', {}, 'Audit trail'), verification, form, error,
    h('table', { id: 'audit' },
      h('thead', {}, h('tr', {}, ['Time', 'Chain', 'Seq', 'Actor', 'Action', 'Change', 'Hash'].map((t) => h('th', {}, t)))),
      body),
    h('div', { class: 'pager' }, previous, nextButton, pageLabel));

  // Each answer is a run of at most ~5 s: go on from `next` until complete, adding up the counts.
  async function verify() {
    let chains = 0;
    let records = 0;
    let report;
    let cursor;
    do {
      report = await api(`/audit/verify${query({ cursor })}`);
      chains += report.chains;
      records += report.records;
      cursor = report.next;
      if (!report.complete) verification.textContent = `Verifying… ${chains} chains, ${records} records so far.`;
    } while (!report.complete && cursor);
    verification.className = `banner ${report.ok ? 'ok' : 'bad'}`;
    verification.dataset.ok = String(report.ok);
    verification.textContent = report.ok
      ? `Chain verified: ${chains} chains, ${records} records, every hash and link intact.`
      : `Chain BROKEN at ${report.firstBreak.chain} #${report.firstBreak.seq}: ${report.firstBreak.problem} (${report.firstBreak.detail})`;
  }

  // The page polls while the user filters: an answer to an older request (unfiltered, say) can arrive
  // after the newer one, so only the answer to the latest request is shown.
  let latestLoad = 0;
  async function load() {
    const ticket = ++latestLoad;
    const page = await api(`/audit${query({ ...filters, limit: 50, cursor: cursors[cursors.length - 1] })}`);
    if (ticket !== latestLoad) return;
    next = page.next;
    error.hidden = true;
    body.replaceChildren(...(page.records.length ? page.records.map((record) => h('tr', { dataset: { chain: record.chain, seq: record.seq, actor: record.actor } },
      h('td', {}, time(record.at)),
      h('td', { class: 'mono small' }, h('a', { href: '#/audit', onclick: (event) => { event.preventDefault(); filterEntity(record.chain); } }, record.chain)),
      h('td', {}, record.seq),
      h('td', {}, record.actor),
      h('td', {}, record.action),
      h('td', {}, change(record)),
      h('td', { class: 'mono small', title: `prev ${record.prevHash}` }, record.hash.slice(0, 12))))
      : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No audit record matches.'))]));
    previous.disabled = cursors.length <= 1;
    nextButton.disabled = !next;
    pageLabel.textContent = `page ${cursors.length}`;
  }

  function filterEntity(chain) {
    form.elements.entity.value = chain;
    filters.entity = chain;
    cursors = [null];
    load();
  }

  return {
    element,
    // The verification is re-run on every refresh: a tampered record shows up without a reload.
    async refresh() { await Promise.all([verify(), load()]); },
    showError(failure) { error.hidden = false; error.textContent = `Could not refresh: ${failure.message}`; },
  };
}

/** What changed: the state move when there is one, and the full images on demand. */
function change(record) {
  const before = record.before && typeof record.before === 'object' ? record.before : null;
  const after = record.after && typeof record.after === 'object' ? record.after : null;
  const summary = before?.state !== after?.state
    ? `${before?.state ?? '∅'} → ${after?.state ?? '∅'}`
    : (after?.state ?? '');
  return h('details', {}, h('summary', {}, summary || 'details'),
    h('pre', {}, JSON.stringify({ before: record.before, after: record.after }, null, 2)));
}

function toInstant(local) {
  return local ? new Date(local).toISOString() : '';
}
