// Usage: evaluations per entitlement and outcome over the last 24 hours, from the SDKs' logs, as stacked bars.
import { call, env } from './api.js';
import { el, format, svg, words } from './ui.js';
import { leafFields, state } from './state.js';
import { outcomeWords } from './outcomes.js';
import { timeText } from './dates.js';

const $ = (id) => document.getElementById(id);

/** Outcomes are grouped by kind for colour: override, rule or split, default, fallback. */
function kind(outcome) {
  if (outcome.startsWith('fallback')) return 'fallback';
  if (outcome.startsWith('override')) return 'override';
  if (outcome.startsWith('default')) return 'default';
  return 'rule';
}

export async function render() {
  const to = new Date();
  const from = new Date(to.getTime() - 24 * 3600 * 1000);
  const { body } = await call('GET',
    `${env(state.environment)}/usage?from=${from.toISOString()}&to=${new Date(to.getTime() + 3600 * 1000).toISOString()}`);
  const byField = new Map();
  for (const c of body.counts) {
    if (!byField.has(c.field)) byField.set(c.field, []);
    byField.get(c.field).push(c);
  }
  const max = Math.max(1, ...[...byField.values()].map((cs) => cs.reduce((n, c) => n + c.count, 0)));
  const cards = leafFields().map((f) => {
    const counts = (byField.get(f.path) || []).sort((a, b) => b.count - a.count);
    const total = counts.reduce((n, c) => n + c.count, 0);
    const name = words(f.path);
    const width = 480;
    let x = 0;
    const bars = counts.map((c) => {
      const w = Math.max(1, (c.count / max) * width);
      const rect = svg('rect', { x: x.toFixed(1), y: '0', width: w.toFixed(1), height: '22', class: 'bar-' + kind(c.outcome) },
        svg('title', {}, `${outcomeWords(f.path, c.outcome)}: ${format(c.count)}`));
      x += w;
      return rect;
    });
    return el('figure', { className: 'usage', 'data-field': f.path },
      el('figcaption', {}, el('strong', {}, name), ` · ${format(total)} evaluations`),
      svg('svg', { viewBox: `0 0 ${width} 22`, width: String(width), height: '22', role: 'img',
        'aria-label': total ? counts.map((c) => `${outcomeWords(f.path, c.outcome)}: ${format(c.count)}`).join('; ') : 'no evaluations' },
      svg('rect', { x: '0', y: '0', width: String(width), height: '22', class: 'bar-track' }), bars),
      counts.length ? el('ul', { className: 'legend' }, counts.map((c) =>
        el('li', { 'data-outcome': c.outcome, title: c.outcome },
          el('span', { className: 'swatch bar-' + kind(c.outcome), 'aria-hidden': 'true' }),
          `${outcomeWords(f.path, c.outcome)}: ${format(c.count)}`)))
        : el('p', { className: 'muted' }, 'No evaluations reported in the last 24 hours.'));
  });
  $('usage-body').replaceChildren(
    el('p', { className: 'hint' }, `Evaluations reported by the SDKs reading ${state.environment}, by outcome `
      + `(which override, rule, default or fallback answered), ${timeText(from.getTime())} to now. Bars share one scale.`),
    ...cards);
}
