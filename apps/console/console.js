// Safety API operator console. No framework and no build step: a few DOM helpers over the REST API.
// Everything the API returns is untrusted (an agent writes an approval's context and justification),
// so it reaches the page only as text nodes, never as HTML.

const API = '/api/v1/safety';
const KEY = 'safety-api-key';
const $ = (id) => document.getElementById(id);

/** A problem+json answer, shown as its title and detail. */
class Problem extends Error {
  constructor(problem) {
    super(`${problem.title}: ${problem.detail}`);
    this.problem = problem;
  }
}

const state = { principal: null, live: 0 };

async function api(path, { method = 'GET', body } = {}) {
  const headers = { 'x-api-key': sessionStorage.getItem(KEY) ?? '' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Problem({ title: 'Service unreachable', detail: 'The Safety API did not answer; retry shortly.' });
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Problem(
      data && data.title
        ? data
        : { title: `HTTP ${response.status}`, detail: response.statusText || 'Request failed.' },
    );
  }
  return data;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    // Through the CSSOM: the Content-Security-Policy (style-src 'self') refuses style attributes.
    else if (name === 'style') Object.assign(node.style, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function showError(error) {
  const box = $('error');
  box.textContent = error instanceof Problem ? error.message : `Unexpected error: ${error?.message ?? error}`;
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

const usd = (amount) => `$${Number(amount).toFixed(amount < 1 ? 4 : 2)}`;
const when = (iso) => new Date(iso).toLocaleString();
const isOperator = () => state.principal && state.principal.role !== 'agent';

function timeLeft(iso) {
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  if (seconds <= 0) return 'expired';
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s left` : `${seconds} s left`;
}

// ---- sign-in -----------------------------------------------------------------

async function signIn(key) {
  sessionStorage.setItem(KEY, key);
  try {
    state.principal = await api('/whoami');
  } catch (error) {
    sessionStorage.removeItem(KEY);
    state.principal = null;
    throw error;
  }
}

function signOut() {
  sessionStorage.removeItem(KEY);
  state.principal = null;
  state.live++;
  location.hash = '';
  render();
}

// ---- approvals ---------------------------------------------------------------

/** The facts an approver needs, per action: what would run, where, for how much. */
function actionFacts(approval) {
  const c = approval.context ?? {};
  const pick = (...names) => names.filter((name) => c[name] !== undefined).map((name) => [name, c[name]]);
  switch (approval.action) {
    case 'execute_code':
      return pick('command', 'cwd', 'environment', 'branch');
    case 'deploy':
      return pick('environment', 'service', 'target', 'branch', 'command');
    case 'create_billing':
      return pick('amount_usd', 'plan', 'interval', 'customer', 'mode');
    case 'delete_files':
      return pick('path', 'paths', 'recursive');
    case 'network_access':
      return pick('domain', 'url', 'method', 'port');
    default:
      return Object.entries(c);
  }
}

function factList(pairs) {
  return el(
    'dl',
    {},
    pairs.flatMap(([name, value]) => [
      el('dt', { text: name }),
      el('dd', {}, el('code', { text: typeof value === 'string' ? value : JSON.stringify(value) })),
    ]),
  );
}

function approvalCard(approval) {
  const approvals = approval.decisions.filter((d) => d.decision === 'approve').length;
  const card = el(
    'li',
    { class: 'card', 'data-approval-id': approval.approval_id },
    el('h3', { text: approval.action }),
    factList([
      ...actionFacts(approval),
      ['reason', approval.reason],
      ['rule ids', approval.rule_ids.join(', ')],
      ['requested by', approval.requested_by],
      ['run', approval.run_id ?? '(none)'],
      ['justification', approval.justification ?? '(none)'],
      ['approvals', `${approvals} of ${approval.required_approvals}`],
    ]),
    el('p', { class: 'muted time-left', 'data-expires-at': approval.expires_at, text: timeLeft(approval.expires_at) }),
  );
  const mayDecide = isOperator() && approval.requested_by !== state.principal.key_id;
  if (mayDecide) {
    const commentId = `comment-${approval.approval_id}`;
    const comment = el('textarea', { id: commentId, rows: 1 });
    const decide = async (decision, button) => {
      button.disabled = true;
      try {
        clearError();
        const body = comment.value.trim() ? { decision, comment: comment.value.trim() } : { decision };
        await api(`/approvals/${encodeURIComponent(approval.approval_id)}/decision`, { method: 'POST', body });
        await loadApprovals();
      } catch (error) {
        showError(error);
        button.disabled = false;
      }
    };
    const approve = el('button', { type: 'button', class: 'approve', text: 'Approve' });
    const reject = el('button', { type: 'button', class: 'reject', text: 'Reject' });
    approve.addEventListener('click', () => decide('approve', approve));
    reject.addEventListener('click', () => decide('reject', reject));
    card.append(
      el(
        'div',
        { class: 'decide' },
        el('label', { for: commentId, text: 'Comment (optional)' }),
        comment,
        approve,
        reject,
      ),
    );
  }
  return card;
}

function historyRow(approval) {
  const deciders = approval.decisions.map((d) => `${d.by} (${d.decision}${d.comment ? `: ${d.comment}` : ''})`);
  return el(
    'tr',
    { 'data-approval-id': approval.approval_id },
    el('td', { text: when(approval.decided_at ?? approval.created_at) }),
    el('td', { text: approval.action }),
    el('td', { class: `status-${approval.status}`, text: approval.status }),
    el('td', { text: approval.requested_by }),
    el('td', { text: deciders.join(', ') || '–' }),
    el('td', { text: approval.run_id ?? '–' }),
  );
}

async function loadApprovals() {
  const [pending, all] = await Promise.all([api('/approvals?status=pending&limit=100'), api('/approvals?limit=100')]);
  $('pending').replaceChildren(...pending.approvals.map(approvalCard));
  $('pending-empty').hidden = pending.approvals.length > 0;
  $('history').replaceChildren(...all.approvals.filter((a) => a.status !== 'pending').map(historyRow));
}

/**
 * Keeps the pending list live: a server long-poll wakes on any change of the tenant's approvals. The
 * version read before the list goes back as `since`, so a change made meanwhile answers at once.
 */
async function followApprovals(generation, version) {
  while (generation === state.live) {
    try {
      const answer = await api(`/approvals/changes?wait=25&since=${version}`);
      if (generation !== state.live) return;
      version = answer.version;
      if (answer.changed) await loadApprovals();
    } catch (error) {
      if (generation !== state.live) return;
      showError(error);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

// ---- runs --------------------------------------------------------------------

function budgetBar(budget) {
  if (!budget) return el('span', { class: 'muted', text: 'no budget' });
  const width = (amount) => `${Math.min(100, (amount / budget.limit) * 100).toFixed(2)}%`;
  const bar = el(
    'div',
    {
      class: 'bar',
      role: 'img',
      'aria-label': `${usd(budget.spent)} spent and ${usd(budget.reserved)} reserved of ${usd(budget.limit)}`,
    },
    el('span', { class: 'spent', style: { width: width(budget.spent) } }),
    el('span', { class: 'reserved', style: { left: width(budget.spent), width: width(budget.reserved) } }),
    budget.alert_thresholds.map((t) => el('span', { class: 'mark', style: { left: `${(t * 100).toFixed(2)}%` } })),
  );
  const crossed = budget.thresholds_crossed.length
    ? ` · thresholds crossed: ${budget.thresholds_crossed.map((t) => `${Math.round(t * 100)}%`).join(', ')}`
    : '';
  return el(
    'div',
    { class: 'budget' },
    bar,
    el('p', {
      class: 'figures',
      text: `spent ${usd(budget.spent)} · reserved ${usd(budget.reserved)} · limit ${usd(budget.limit)} · ${budget.state}${crossed}`,
    }),
  );
}

async function loadRuns() {
  const { runs } = await api('/runs?limit=100');
  $('runs').replaceChildren(
    ...runs.map((run) =>
      el(
        'tr',
        { 'data-run-id': run.run_id },
        el('td', {}, el('a', { href: `#/runs/${encodeURIComponent(run.run_id)}`, text: run.run_id })),
        el('td', {}, budgetBar(run.budget)),
        el('td', { text: when(run.last_activity) }),
      ),
    ),
  );
}

function eventSummary(event) {
  const d = event.data ?? {};
  const parts = [];
  if (d.decision) parts.push(String(d.decision));
  if (d.amount !== undefined) parts.push(usd(d.amount));
  if (d.command) parts.push(String(d.command));
  if (d.exit_code !== undefined) parts.push(`exit ${d.exit_code}`);
  if (d.reason) parts.push(String(d.reason));
  return parts.join(' · ');
}

async function loadRun(runId) {
  $('run-title').textContent = `Run ${runId}`;
  const id = encodeURIComponent(runId);
  const [budget, trail] = await Promise.all([
    api(`/budget/${id}`).catch((error) => (error.problem?.status === 404 ? null : Promise.reject(error))),
    api(`/audit/${id}?limit=1000`).catch((error) =>
      error.problem?.status === 404 ? { events: [] } : Promise.reject(error),
    ),
  ]);
  $('run-budget').replaceChildren(budgetBar(budget));
  const filter = $('event-filter');
  const types = [...new Set(trail.events.map((event) => event.type))].sort();
  filter.replaceChildren(
    el('option', { value: '', text: 'All events' }),
    ...types.map((t) => el('option', { value: t, text: t })),
  );
  const draw = () =>
    $('timeline').replaceChildren(
      ...trail.events
        .filter((event) => !filter.value || event.type === filter.value)
        .map((event) =>
          el(
            'li',
            { 'data-type': event.type },
            el('time', { datetime: event.at, text: when(event.at) }),
            ' ',
            el('strong', { text: event.type }),
            ` ${event.outcome} by ${event.key_id}`,
            eventSummary(event) ? el('span', { class: 'muted', text: ` – ${eventSummary(event)}` }) : null,
          ),
        ),
    );
  filter.onchange = draw;
  draw();
}

// ---- views -------------------------------------------------------------------

const VIEWS = ['sign-in-view', 'approvals-view', 'runs-view', 'run-view'];

function show(view) {
  for (const id of VIEWS) $(id).hidden = id !== view;
}

async function render() {
  const signedIn = state.principal !== null;
  $('nav').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
  $('who').textContent = signedIn
    ? `Signed in as ${state.principal.key_id} (${state.principal.role}, tenant ${state.principal.acting_tenant})`
    : '';
  if (!signedIn) return show('sign-in-view');
  $('nav-runs').hidden = !isOperator();
  const generation = ++state.live;
  const [, section, runId] = location.hash.split('/');
  try {
    if (section === 'runs' && runId && isOperator()) {
      show('run-view');
      await loadRun(decodeURIComponent(runId));
    } else if (section === 'runs' && isOperator()) {
      show('runs-view');
      await loadRuns();
    } else {
      show('approvals-view');
      const { version } = await api('/approvals/changes?wait=0');
      await loadApprovals();
      void followApprovals(generation, version);
    }
  } catch (error) {
    showError(error);
  }
}

function tick() {
  for (const node of document.querySelectorAll('.time-left')) node.textContent = timeLeft(node.dataset.expiresAt);
}

document.addEventListener('DOMContentLoaded', async () => {
  $('sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const input = $('api-key');
    try {
      await signIn(input.value.trim());
      input.value = '';
      await render();
    } catch (error) {
      showError(error);
    }
  });
  $('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', () => {
    clearError();
    void render();
  });
  setInterval(tick, 1000);
  if (sessionStorage.getItem(KEY)) {
    try {
      await signIn(sessionStorage.getItem(KEY));
    } catch (error) {
      showError(error);
    }
  }
  await render();
});
