// Validates live messages (SSE events of GET /live) against schemas/live-message.schema.json with
// Ajv (JSON Schema draft 2020-12), so the hand-written schema is held to what the server sends.

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { EventSourceMessage } from 'eventsource-parser';
import { packagePath } from '../../cli/package-root.js';

const schema = JSON.parse(
  readFileSync(packagePath('schemas/live-message.schema.json'), 'utf8'),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** The schema's complaints about one message ('' when it is valid). */
export function liveMessageProblems(message: unknown): string {
  return validate(message)
    ? ''
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

/** Every event whose data breaks the schema, with the schema's complaint; [] when all are valid. */
export function invalidLiveEvents(events: EventSourceMessage[]): string[] {
  return events
    .map((e) => ({ e, problems: liveMessageProblems(JSON.parse(e.data)) }))
    .filter((x) => x.problems)
    .map((x) => `${x.e.event} ${x.e.id ?? ''}: ${x.problems}`);
}
