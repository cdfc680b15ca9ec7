// Follows the change feed. EventSource reconnects by itself after a dropped connection and
// sends the id of the last event it received as Last-Event-ID, from which the feed resumes.
// Where the browser gives up instead (it may, after a failed reconnection, or on a 503), a new
// EventSource resumes from that id with ?after=: either way nothing written meanwhile is missed.

import { apiBase } from './api.js';

const KINDS = ['artifact.created', 'artifact.updated', 'artifact.version-added', 'artifact.deleted',
  'collection.created', 'collection.updated', 'collection.deleted', 'membership.added', 'membership.removed', 'reset'];

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 60000;

/**
 * Where the feed stands now: the end event of a list stream carries the position taken before
 * its first read. Following from there, a page loaded after this call misses no change.
 */
export async function feedPosition() {
  try {
    const response = await fetch(`${apiBase}/api/v1/artifacts?limit=1`, { headers: { Accept: 'text/event-stream' }, cache: 'no-store' });
    const end = (await response.text()).match(/^event: ?end\r?\ndata: ?(.*)$/m);
    return end ? JSON.parse(end[1]).feedPosition ?? null : null;
  } catch {
    return null;
  }
}

export function follow(onChange, from) {
  if (!('EventSource' in window)) return;
  let last = from;
  let retry = FIRST_RETRY_MS;
  const connect = () => {
    const query = last ? `?after=${encodeURIComponent(last)}` : '';
    const source = new EventSource(`${apiBase}/api/v1/changes${query}`);
    for (const kind of KINDS) {
      source.addEventListener(kind, (event) => {
        if (event.lastEventId) last = event.lastEventId;
        onChange(kind, kind === 'reset' ? {} : JSON.parse(event.data));
      });
    }
    source.addEventListener('open', () => {
      document.body.dataset.live = 'open';
      retry = FIRST_RETRY_MS;
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        document.body.dataset.live = 'closed';
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, LAST_RETRY_MS);
      } else {
        document.body.dataset.live = 'reconnecting';
      }
    });
  };
  connect();
}
