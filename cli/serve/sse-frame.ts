// One Server-Sent Events frame of /live: "id: <t>" (seconds only, so a reconnect resumes after it),
// the event name and the message as one line of JSON, then the blank line that ends the frame.

import type { LiveEnd, LiveHello, LiveMark, LiveSecond } from '../../schemas/format.js';

export function sseFrame(
  event: string,
  data: LiveHello | LiveSecond | LiveEnd | LiveMark,
  id?: number,
): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A `second` event, its id the second's t. */
export function secondFrame(s: LiveSecond): string {
  return sseFrame('second', s, s.t);
}
