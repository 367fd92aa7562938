// One build: its jobs in the order they were created (every attempt), each with its dependencies,
// state, agent, timings and attempt; cancel / retry per job; and the selected job's log, streamed
// by polling GET /jobs/{id}/log?after=<seq> until the API says the log is complete. The buttons follow
// the signed-in role (viewer: none; operator and admin: all); the API checks the same.

import { api, may, query } from '../api.js';
import { AnsiStream } from '../ansi.js';
import { between, duration, h, stateBadge, time } from '../dom.js';
import { POLL_MILLIS } from '../config.js';

const TERMINAL = new Set(['PASSED', 'FAILED', 'CANCELED', 'TIMED_OUT', 'EXPIRED', 'SKIPPED']);
const CANCELABLE = new Set(['PENDING', 'QUEUED', 'ASSIGNED', 'RUNNING', 'BLOCKED']);

export function buildPage(buildId) {
  let build = null;
  let selectedJobId = null;
  let log = null; // { jobId, after, complete, stream, timer }
  const header = h('div', { class: 'card', id: 'build-header' }, 'Loading…');
  const jobsList = h('ol', { class: 'jobs', id: 'jobs' });
  const logTitle = h('h2', { id: 'log-title' }, 'Log');
  const logView = h('pre', { class: 'log', id: 'log' });
  const logStatus = h('p', { class: 'small muted', id: 'log-status' });
  const error = h('p', { class: 'error', id: 'build-error', hidden: true });
  // The approval form of a block step with fields: outside the job list, so that a refresh of the
  // list does not wipe what someone is typing.
  const approval = h('div', { class: 'card approval', id: 'approval', hidden: true });
  let approvingJobId = null;
  const element = h('section', {},
    h('p', {}, h('a', { href: '#/builds' }, '← Builds')),
    error, header, h('h2', {}, 'Jobs'), jobsList, approval, logTitle, logStatus, logView);

  function renderHeader() {
    header.replaceChildren(
      h('h1', {}, stateBadge(build.state), ' ', build.repo, ' ', h('span', { class: 'muted' }, build.branch ?? build.tag ?? '')),
      h('div', { class: 'small' },
        h('span', { class: 'mono' }, build.commit), ' · ', (build.message ?? '').split('\n')[0], ' · by ',
        build.pusher ?? build.author ?? '–', ' · ', build.source),
      h('div', { class: 'small muted' }, 'created ', time(build.createdAt), ' · duration ',
        duration(between(build.startedAt ?? build.createdAt, build.finishedAt))));
  }

  function jobLine(job, index) {
    const wait = between(job.queuedAt, job.assignedAt ?? (job.state === 'QUEUED' ? null : job.finishedAt));
    const ran = between(job.startedAt, job.finishedAt);
    const after = job.dependsOn.length ? `after ${job.dependsOn.join(', ')}` : 'no dependencies';
    const actions = h('div', { class: 'actions' });
    // A viewer sees the states, not buttons the API would refuse with 403.
    const operator = may('operator');
    if (operator && CANCELABLE.has(job.state)) {
      actions.append(h('button', {
        type: 'button', class: 'danger', dataset: { action: 'cancel', jobId: job.id },
        onclick: (event) => command(event, job, 'cancel'),
      }, 'Cancel'));
    }
    if (operator && job.state === 'BLOCKED' && (job.kind === 'BLOCK' || job.kind === 'DEPLOY')) {
      // A deploy step BLOCKED awaits its environment's approval (docs/deployments.md), approved the same way.
      // A step with fields opens a form first; the API checks the values (400 invalid_fields says which).
      const hasFields = (job.block?.fields ?? []).length > 0;
      actions.append(h('button', {
        type: 'button', class: 'primary', dataset: { action: 'approve', jobId: job.id },
        onclick: (event) => (hasFields ? openApproval(event, job) : command(event, job, 'approve')),
      }, 'Approve'), h('button', {
        type: 'button', class: 'danger', dataset: { action: 'reject', jobId: job.id },
        onclick: (event) => command(event, job, 'reject'),
      }, 'Reject'));
    }
    if (operator && TERMINAL.has(job.state) && !job.retriedBy && job.kind !== 'BOOTSTRAP') {
      actions.append(h('button', {
        type: 'button', dataset: { action: 'retry', jobId: job.id }, onclick: (event) => command(event, job, 'retry'),
      }, 'Retry'));
    }
    return h('li', {
      class: job.id === selectedJobId ? 'selected' : '', dataset: { jobId: job.id, key: job.key, state: job.state },
      onclick: () => select(job.id),
    },
    h('span', { class: 'order' }, `${index + 1}.`),
    h('div', {},
      h('div', {}, stateBadge(job.state), ' ', h('strong', {}, job.label), ' ',
        h('span', { class: 'muted mono' }, job.key), job.attempt > 1 ? h('span', { class: 'muted' }, ` · attempt ${job.attempt}`) : null,
        job.retriedBy ? h('span', { class: 'muted' }, ' · retried') : null),
      h('div', { class: 'meta' },
        after, ' · queue ', job.queue, ' · agent ', job.agentId ?? '–',
        ' · waited ', duration(wait), ' · ran ', duration(ran),
        job.exitStatus !== null ? ` · exit ${job.exitStatus}` : '', job.reason ? ` · ${job.reason}` : '')),
    actions);
  }

  async function command(event, job, verb) {
    event.stopPropagation();
    event.target.disabled = true;
    try {
      const answer = await api(`/jobs/${encodeURIComponent(job.id)}/${verb}`, { method: 'POST' });
      if (verb === 'retry' && answer?.job?.id) selectedJobId = answer.job.id;
      await refresh();
    } catch (failure) {
      error.hidden = false;
      error.textContent = `${verb} failed: ${failure.message}`;
      event.target.disabled = false;
    }
  }

  /** The form of a block step's fields: text inputs, a select where the step lists options, required ones marked. */
  function openApproval(event, job) {
    event.stopPropagation();
    approvingJobId = job.id;
    const problem = h('p', { class: 'error', id: 'approval-error', hidden: true });
    const inputs = job.block.fields.map((field) => {
      const id = `field-${field.key}`;
      const control = field.options.length > 0
        ? h('select', { id, name: field.key, 'aria-required': field.required ? 'true' : null },
          // No pre-selected choice unless the step has a default: the approver picks one.
          field.default === null ? h('option', { value: '' }, '—') : null,
          field.options.map((option) => h('option', { value: option, selected: option === field.default }, option)))
        : h('input', { id, name: field.key, type: 'text', value: field.default ?? '', 'aria-required': field.required ? 'true' : null });
      return h('label', { class: 'field', for: id, dataset: { field: field.key, required: String(field.required) } },
        h('span', {}, field.text, field.required ? h('span', { class: 'required', title: 'required' }, ' *') : null),
        control);
    });
    // novalidate: the API checks the values against the step (one rule, one message), and its answer is shown here.
    const form = h('form', { id: 'approval-form', novalidate: true, dataset: { jobId: job.id } },
      h('h2', {}, `Approve: ${job.label}`),
      job.block.prompt ? h('p', {}, job.block.prompt) : null,
      inputs,
      problem,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'approval-submit' }, 'Approve'),
        h('button', { type: 'button', id: 'approval-cancel', onclick: closeApproval }, 'Cancel')));
    form.addEventListener('submit', async (submitted) => {
      submitted.preventDefault();
      const fields = {};
      for (const field of job.block.fields) fields[field.key] = form.elements[field.key].value;
      const button = form.querySelector('#approval-submit');
      button.disabled = true;
      try {
        await api(`/jobs/${encodeURIComponent(job.id)}/approve`, { method: 'POST', body: { fields } });
        closeApproval();
        await refresh();
      } catch (failure) {
        problem.hidden = false;
        problem.dataset.code = failure.code;
        problem.textContent = failure.code === 'invalid_fields' ? failure.message : `approve failed: ${failure.message}`;
        button.disabled = false;
      }
    });
    approval.replaceChildren(form);
    approval.hidden = false;
    form.querySelector('input, select')?.focus();
  }

  function closeApproval() {
    approvingJobId = null;
    approval.replaceChildren();
    approval.hidden = true;
  }

  function select(jobId) {
    if (selectedJobId === jobId && log) return;
    selectedJobId = jobId;
    startLog(jobId);
    jobsList.querySelectorAll('li').forEach((li) => li.classList.toggle('selected', li.dataset.jobId === jobId));
  }

  function startLog(jobId) {
    if (log) clearTimeout(log.timer);
    const job = build.jobs.find((candidate) => candidate.id === jobId);
    logTitle.textContent = `Log: ${job ? job.label : jobId}`;
    logView.replaceChildren();
    log = { jobId, after: -1, complete: false, stream: new AnsiStream(), timer: null };
    pollLog(log);
  }

  async function pollLog(current) {
    if (log !== current) return;
    try {
      const slice = await api(`/jobs/${encodeURIComponent(current.jobId)}/log${query({ after: current.after })}`);
      if (log !== current) return;
      const nearBottom = logView.scrollHeight - logView.scrollTop - logView.clientHeight < 40;
      for (const chunk of slice.chunks) {
        for (const segment of current.stream.push(chunk.chunk)) {
          const span = h('span', { class: segment.classes.join(' ') || null }, segment.text);
          // CSSOM, not a style attribute: the page's CSP forbids inline style attributes.
          if (segment.color) span.style.color = segment.color;
          if (segment.background) span.style.backgroundColor = segment.background;
          logView.append(span);
        }
      }
      if (nearBottom) logView.scrollTop = logView.scrollHeight;
      current.after = slice.next;
      current.complete = slice.complete;
      logStatus.textContent = slice.complete ? `complete (${slice.state})`
        : `streaming… (${slice.state})`;
      logStatus.dataset.complete = String(slice.complete);
      if (!slice.complete) {
        // A full page means more is waiting: read on at once; otherwise wait for new output.
        current.timer = setTimeout(() => pollLog(current), slice.chunks.length > 0 ? 50 : Math.min(POLL_MILLIS, 1000));
      }
    } catch (failure) {
      logStatus.textContent = `log unavailable: ${failure.message}`;
      current.timer = setTimeout(() => pollLog(current), POLL_MILLIS);
    }
  }

  async function refresh() {
    build = await api(`/builds/${encodeURIComponent(buildId)}`);
    error.hidden = true;
    renderHeader();
    jobsList.replaceChildren(...build.jobs.map(jobLine));
    // Someone else decided the step (or the build was canceled): the form has nothing left to approve.
    if (approvingJobId && build.jobs.find((job) => job.id === approvingJobId)?.state !== 'BLOCKED') closeApproval();
    if (!selectedJobId && build.jobs.length) {
      // The job someone most likely wants: the running one, else the last one.
      const running = build.jobs.find((job) => !TERMINAL.has(job.state) && job.startedAt);
      select((running ?? build.jobs[build.jobs.length - 1]).id);
    } else if (selectedJobId && (!log || log.jobId !== selectedJobId)) {
      select(selectedJobId);
    }
  }

  return {
    element,
    refresh,
    stop() { if (log) clearTimeout(log.timer); log = null; },
    showError(failure) {
      error.hidden = false;
      error.textContent = failure.status === 404 ? `No build ${buildId}.` : `Could not refresh: ${failure.message}`;
    },
  };
}
