// Follows the change feed. EventSource reconnects by itself after a dropped connection and
// sends the id of the last event it received as Last-Event-ID, from which the feed resumes:
// nothing written meanwhile is missed.

import { apiBase } from './api.js';

const KINDS = ['artifact.created', 'artifact.updated', 'artifact.version-added', 'artifact.deleted',
  'collection.created', 'collection.updated', 'collection.deleted', 'membership.added', 'membership.removed', 'reset'];

export function follow(onChange) {
  if (!('EventSource' in window)) return null;
  const source = new EventSource(`${apiBase}/api/v1/changes`);
  for (const kind of KINDS) {
    source.addEventListener(kind, (event) => onChange(kind, kind === 'reset' ? {} : JSON.parse(event.data), event.lastEventId));
  }
  source.addEventListener('open', () => { document.body.dataset.live = 'open'; });
  source.addEventListener('error', () => {
    document.body.dataset.live = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
  });
  return source;
}
