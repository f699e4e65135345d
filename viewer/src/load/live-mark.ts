// One `mark` message of the /live stream (schemas/live-message.schema.json) as a Mark, or null
// when it is not one (a mark is checked against schemas/marks.ts like a mark read from a file):
//   { v: 1, type: 'mark', id: 3, atMs: 1767323086000, endMs: null, text: 'deploy v2', createdMs: 1767323086000, source: 'cli' }

import { markProblem, type Mark } from '../../../schemas/marks.js';
import { parseJson } from './live-second.js';

export function parseLiveMark(data: string): Mark | null {
  const m = parseJson(data) as Record<string, unknown> | null;
  if (!m || m.type !== 'mark' || typeof m.text !== 'string' || typeof m.source !== 'string')
    return null;
  const mark: Mark = {
    id: Number(m.id),
    atMs: Number(m.atMs),
    endMs: m.endMs === null ? null : Number(m.endMs),
    text: m.text,
    createdMs: Number(m.createdMs),
    source: m.source,
  };
  return Number.isSafeInteger(mark.id) && mark.id > 0 && markProblem(mark) === null ? mark : null;
}
