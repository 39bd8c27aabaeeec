// What changed between two revisions, as the History, Restore and Changes views show it: the server's diff (one entry
// per field or segment, with a line per change) with entitlements and attributes named in words and arrows drawn.
import { el, lowerFirst, words } from './ui.js';

/** "field entitlements.maxTeamSize" -> "Max team size"; a segment -> "Segment “beta”". */
function subject(change) {
  if (change.kind === 'field') return words(change.path);
  if (change.kind === 'segment') return `Segment “${change.path}”`;
  return words(change.path);
}

const CHANGES = { added: 'added', removed: 'removed', modified: 'changed' };

/**
 * A line of the server's diff in words: "override context.organization.id = org_42: 20 -> 50" -> "override for org_42
 * (organization ID): 20 → 50"; "override table by context.organization.id added" -> "override table by organization ID
 * added"; "rule pro value: 20 -> 25" -> "rule “pro” value: 20 → 25".
 */
export function lineWords(line) {
  const row = /^override (context\.[\w.]+) = (.*?): (.*)$/s.exec(line);
  const text = row ? `override for ${row[2]} (${lowerFirst(words(row[1]))}): ${row[3]}` : line;
  return text
    .replace(/^rule (\S+) /, 'rule “$1” ')
    .replace(/(^|[ (])(context\.[\w.]+)/g, (m, before, path) => before + lowerFirst(words(path)))
    .replace(/ -> /g, ' → ');
}

/** The diff's lines, each "Subject: what changed", as list items; an entry without lines says added/removed/changed. */
export function diffItems(changes) {
  return changes.flatMap((c) => (c.details && c.details.length ? c.details.map(lineWords) : [CHANGES[c.change] || c.change])
    .map((d) => el('li', { 'data-path': c.path }, el('strong', {}, subject(c)), `: ${d}`)));
}

/** The diff as a list (class "diff"), with the id given. */
export function diffList(changes, id) {
  return el('ul', { className: 'diff', id }, diffItems(changes));
}
