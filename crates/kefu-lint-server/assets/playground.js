// The playground page of `kefu-lint serve`: checks the reply as it is typed
// (POST /v1/check, debounced), underlines each finding in the preview with
// the finding's UTF-16 offsets (JavaScript strings are UTF-16, so
// `text.slice(utf16_start, utf16_end)` is the matched text, emoji included),
// and applies a fix or a suggestion to the reply. Reply text only ever
// becomes text nodes or textContent, never HTML.
'use strict';

(() => {
  /** Milliseconds of quiet typing before a check is sent. */
  const DEBOUNCE_MS = 250;
  const SEVERITIES = ['error', 'warning', 'info'];
  const SEVERITY_NAMES = { error: '错误', warning: '警告', info: '提示' };

  const byId = (id) => document.getElementById(id);
  const reply = byId('reply');
  const preview = byId('preview');
  const counts = byId('counts');
  const fixAll = byId('fix-all');
  const error = byId('error');
  const details = byId('details');
  const detailsBody = byId('details-body');
  const sample = byId('sample');

  /** The text the findings shown belong to, and those findings. */
  let checked = { text: '', findings: [] };
  /** Bumped by every check, so that a late answer for older text is dropped. */
  let sequence = 0;
  let timer = 0;
  /** The underline whose details are shown, if any. */
  let shown = null;

  /** An element with a class and text content (never HTML). */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function mode() {
    return document.querySelector('input[name="mode"]:checked').value;
  }

  /** POSTs JSON to the service; the answer's JSON, or an Error with its message. */
  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    // A few malformed requests are answered by the HTTP layer with no body.
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error((answer.error && answer.error.message) || `HTTP ${response.status}`);
    }
    return answer;
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = message === '';
  }

  function schedule() {
    clearTimeout(timer);
    preview.dataset.state = 'waiting';
    timer = setTimeout(check, DEBOUNCE_MS);
  }

  /** Checks the reply now and shows its findings. */
  async function check() {
    clearTimeout(timer);
    const text = reply.value;
    const mine = ++sequence;
    preview.dataset.state = 'checking';
    try {
      const answer = text === ''
        ? { findings: [], counts: { error: 0, warning: 0, info: 0 } }
        : await post('/v1/check', { text, mode: mode() });
      if (mine !== sequence) return;
      showError('');
      render(text, answer.findings, answer.counts);
    } catch (failure) {
      if (mine !== sequence) return;
      showError(`检查失败:${failure.message}`);
      render(text, [], { error: 0, warning: 0, info: 0 });
    }
  }

  /**
   * Findings as nested underlines: a finding inside another (a word inside
   * a whole-reply finding) is an underline inside the other's; findings
   * that cross share one. [{start, end, severity, findings, inner}],
   * offsets in UTF-16 code units, sorted.
   */
  function nest(findings) {
    const sorted = [...findings].sort((a, b) => a.utf16_start - b.utf16_start || b.utf16_end - a.utf16_end);
    const groups = [];
    let i = 0;
    while (i < sorted.length) {
      const group = { start: sorted[i].utf16_start, end: sorted[i].utf16_end, findings: [sorted[i]] };
      const inner = [];
      for (i += 1; i < sorted.length && sorted[i].utf16_start < group.end; i += 1) {
        if (sorted[i].utf16_end <= group.end && !(sorted[i].utf16_start === group.start && sorted[i].utf16_end === group.end)) {
          inner.push(sorted[i]);
        } else {
          group.end = Math.max(group.end, sorted[i].utf16_end);
          group.findings.push(sorted[i]);
        }
      }
      group.inner = nest(inner);
      group.severity = SEVERITIES.find((s) => group.findings.some((f) => f.severity === s)) || 'info';
      groups.push(group);
    }
    return groups;
  }

  /** The accessible name of an underline: the text, then each finding's severity and message. */
  function label(text, group) {
    const what = group.findings.map((f) => `${SEVERITY_NAMES[f.severity]}:${f.message}`).join(';');
    return `“${text.slice(group.start, group.end)}”,${what}`;
  }

  /** Text nodes and underlines for `text` from `start` to `end` holding `groups`. */
  function underline(text, start, end, groups) {
    const nodes = [];
    let at = start;
    for (const group of groups) {
      if (group.start > at) nodes.push(document.createTextNode(text.slice(at, group.start)));
      const mark = element('mark', `finding severity-${group.severity}`);
      mark.append(...underline(text, group.start, group.end, group.inner));
      mark.tabIndex = 0;
      mark.dataset.severity = group.severity;
      mark.setAttribute('aria-label', label(text, group));
      // The innermost underline under the pointer is the one shown.
      mark.addEventListener('mouseover', (event) => {
        event.stopPropagation();
        show(group, mark, false);
      });
      mark.addEventListener('focus', () => show(group, mark, false));
      mark.addEventListener('click', (event) => {
        event.stopPropagation();
        show(group, mark, true);
      });
      mark.addEventListener('keydown', (event) => {
        if (event.target === mark && (event.key === 'Enter' || event.key === ' ')) {
          event.preventDefault();
          show(group, mark, true);
        }
      });
      nodes.push(mark);
      at = Math.max(at, group.end);
    }
    if (at < end) nodes.push(document.createTextNode(text.slice(at, end)));
    return nodes;
  }

  function render(text, findings, tally) {
    checked = { text, findings };
    preview.replaceChildren(...underline(text, 0, text.length, nest(findings)));
    details.hidden = true;
    detailsBody.replaceChildren();
    shown = null;
    renderCounts(tally);
    fixAll.disabled = !findings.some((f) => f.fix && f.fix.applicability === 'safe');
    preview.dataset.state = 'done';
  }

  function renderCounts(tally) {
    const total = SEVERITIES.reduce((sum, s) => sum + (tally[s] || 0), 0);
    if (total === 0) {
      counts.replaceChildren(element('span', 'count', '没有问题'));
      return;
    }
    const parts = [element('span', 'count', `${total} 个问题:`)];
    for (const s of SEVERITIES) {
      const part = element('span', `count count-${s}`, `${SEVERITY_NAMES[s]} ${tally[s] || 0}`);
      part.dataset.severity = s;
      parts.push(part);
    }
    counts.replaceChildren(...parts);
  }

  /** Shows what the underline `group` means; with `focus`, moves the focus to its first action. */
  function show(group, mark, focus) {
    if (shown !== mark) {
      shown = mark;
      showDetails(group, mark);
    }
    if (focus) {
      const first = detailsBody.querySelector('button');
      if (first) first.focus();
    }
  }

  /** Fills the details with the findings of `group` and marks `mark` as the active underline. */
  function showDetails(group, mark) {
    for (const other of preview.querySelectorAll('mark.active')) other.classList.remove('active');
    mark.classList.add('active');
    const blocks = group.findings.map((finding) => describe(finding, mark));
    detailsBody.replaceChildren(...blocks);
    details.hidden = false;
  }

  /** The details of one finding: rule, message, the fix and suggestion buttons. */
  function describe(finding, mark) {
    const block = element('div', 'finding-details');
    const heading = element('h3');
    heading.append(
      element('span', `severity-label-${finding.severity}`, SEVERITY_NAMES[finding.severity]),
      document.createTextNode(` ${finding.rule} ${finding.name}:“${finding.matched}”`),
    );
    block.append(heading, element('p', 'message', finding.message));
    const actions = element('div', 'actions');
    if (finding.fix && finding.fix.applicability !== 'display-only' && finding.fix.edits.length > 0) {
      const safe = finding.fix.applicability === 'safe';
      const replaced = finding.fix.edits.map((e) => e.replacement).join('…');
      const button = element('button', 'apply-fix', `应用${safe ? '安全' : ''}修正:改为“${replaced}”`);
      button.type = 'button';
      button.dataset.applicability = finding.fix.applicability;
      button.addEventListener('click', () => apply(finding.fix.edits));
      actions.append(button);
    }
    for (const suggestion of finding.suggestions) {
      const button = element('button', 'apply-suggestion', `改为“${suggestion}”`);
      button.type = 'button';
      button.dataset.suggestion = suggestion;
      button.addEventListener('click', () => apply([
        { utf16_start: finding.utf16_start, utf16_end: finding.utf16_end, replacement: suggestion },
      ]));
      actions.append(button);
    }
    block.append(actions);
    block.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') mark.focus();
    });
    return block;
  }

  /** Applies `edits` (UTF-16 offsets into the checked text) to the reply and checks it again. */
  function apply(edits) {
    if (reply.value !== checked.text) {
      // The reply changed since it was checked: these offsets are not its own.
      check();
      return;
    }
    let text = checked.text;
    for (const edit of [...edits].sort((a, b) => b.utf16_start - a.utf16_start)) {
      text = text.slice(0, edit.utf16_start) + edit.replacement + text.slice(edit.utf16_end);
    }
    reply.value = text;
    reply.focus();
    check();
  }

  async function applySafeFixes() {
    const text = reply.value;
    try {
      const answer = await post('/v1/fix', { text, mode: mode() });
      if (reply.value !== text) return;
      reply.value = answer.text;
      reply.focus();
      check();
    } catch (failure) {
      showError(`修正失败:${failure.message}`);
    }
  }

  reply.addEventListener('input', schedule);
  fixAll.addEventListener('click', applySafeFixes);
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener('change', check);
  sample.addEventListener('change', () => {
    if (sample.value === '') return;
    reply.value = sample.value;
    check();
  });
  check();
})();
