// The catalog page: the artifact list with infinite scroll (keyset cursors), filters with their
// counts, an artifact's detail, a collection's members, and live updates from the change feed.

import { getJson } from './api.js';
import { feedPosition, follow } from './live.js';
import { artifactItem, collectionChoices, el, tagChoices, typeChoices } from './render.js';

const PAGE = 50;
const $ = (id) => document.getElementById(id);
const list = $('list');
const more = $('more');
const form = $('filters');

const state = {
  filters: { type: '', tags: [], collection: '', q: '' },
  collectionName: null,
  next: null, // the next page's cursor; null: no more
  loading: false,
  ids: new Set(),
  run: 0, // bumped by every new list, so answers for an older one are dropped
  rendered: false,
  pending: [], // changes heard before the first page was shown
};

function listPath(cursor) {
  const query = new URLSearchParams({ limit: PAGE });
  const { type, tags, collection, q } = state.filters;
  if (type) query.set('type', type);
  for (const tag of tags) query.append('tag', tag);
  if (collection) query.set('collection', collection);
  if (q) query.set('q', q);
  if (cursor) query.set('cursor', cursor);
  return query;
}

async function reload() {
  const run = ++state.run;
  state.loading = true;
  state.next = null;
  list.setAttribute('aria-busy', 'true');
  try {
    const [page] = await Promise.all([getJson(`/api/v1/artifacts?${listPath()}`), refreshFacets(run), describeCollection(run)]);
    if (run !== state.run) return;
    state.ids.clear();
    list.replaceChildren();
    append(page);
    if (!state.rendered) {
      state.rendered = true;
      performance.mark('first-page-rendered');
      for (const [kind, data] of state.pending.splice(0)) apply(kind, data);
    }
  } catch (error) {
    if (run === state.run) more.textContent = `Could not load the list: ${error.message}`;
  } finally {
    if (run === state.run) {
      state.loading = false;
      list.setAttribute('aria-busy', 'false');
      document.body.dataset.ready = String(state.run);
    }
  }
}

async function loadMore() {
  if (state.loading || !state.next) return;
  const run = state.run;
  state.loading = true;
  more.textContent = 'Loading more…';
  try {
    const page = await getJson(`/api/v1/artifacts?${listPath(state.next)}`);
    if (run === state.run) append(page);
  } catch (error) {
    more.textContent = `Could not load more: ${error.message}`;
  } finally {
    if (run === state.run) state.loading = false;
  }
  // a tall window may show the end of the list again at once
  if (run === state.run && state.next && visible(more)) loadMore();
}

function append(page) {
  const items = page.items.filter((a) => !state.ids.has(a.id));
  items.forEach((a) => state.ids.add(a.id));
  list.append(...items.map(artifactItem));
  state.next = page.nextCursor ?? null;
  more.textContent = state.next ? '' : (state.ids.size ? 'End of the list.' : 'Nothing matches.');
}

function visible(element) {
  const box = element.getBoundingClientRect();
  return box.top < window.innerHeight && box.bottom >= 0;
}

new IntersectionObserver((entries) => {
  if (entries.some((entry) => entry.isIntersecting)) loadMore();
}, { rootMargin: '200px' }).observe(more);

async function refreshFacets(run = state.run) {
  const query = listPath();
  query.delete('limit');
  const facets = await getJson(`/api/v1/artifacts/facets?${query}`);
  if (run !== state.run) return;
  $('total').textContent = facets.total;
  $('total-label').textContent = facets.total === 1 ? 'artifact' : 'artifacts';
  typeChoices($('types'), facets, state.filters.type);
  tagChoices($('tags'), facets, state.filters.tags);
  collectionChoices($('collection'), facets, state.filters.collection, state.collectionName);
}

async function describeCollection(run) {
  const id = state.filters.collection;
  const info = $('collection-info');
  if (!id) {
    info.hidden = true;
    return;
  }
  const collection = await getJson(`/api/v1/collections/${id}`);
  if (run !== state.run) return;
  state.collectionName = collection.name;
  $('collection-name').textContent = collection.name;
  $('collection-description').textContent = collection.description;
  $('collection-count').textContent = `${collection.artifactCount} artifacts in this collection`;
  info.hidden = false;
}

// filters
let typing;
form.addEventListener('input', (event) => {
  if (event.target.name === 'q') {
    clearTimeout(typing);
    typing = setTimeout(() => choose({ q: event.target.value.trim() }), 250);
  }
});
form.addEventListener('change', (event) => {
  const { name, value } = event.target;
  if (name === 'type') choose({ type: value });
  else if (name === 'tag') choose({ tags: [...form.querySelectorAll('input[name=tag]:checked')].map((box) => box.value) });
  else if (name === 'collection') location.hash = value ? `#/collections/${value}` : '#/';
});
form.addEventListener('submit', (event) => event.preventDefault());
form.addEventListener('reset', () => {
  state.filters = { type: '', tags: [], collection: '', q: '' };
  if (location.hash.startsWith('#/collections/')) location.hash = '#/';
  else reload();
});

function choose(changes) {
  Object.assign(state.filters, changes);
  reload();
}

// routes: #/artifacts/{id} opens the detail, #/collections/{id} lists the collection's members
const dialog = $('detail');
async function route() {
  const [, kind, id] = location.hash.match(/^#\/(artifacts|collections)\/([0-9a-f-]{36})$/) ?? [];
  if (kind === 'artifacts') {
    showDetail(id);
    return;
  }
  if (dialog.open) dialog.close();
  const collection = kind === 'collections' ? id : '';
  if (collection !== state.filters.collection || !state.rendered) {
    if (collection !== state.filters.collection) state.collectionName = null;
    choose({ collection });
    if (collection) $('results').focus();
  }
}

async function showDetail(id) {
  try {
    const a = await getJson(`/api/v1/artifacts/${id}`);
    $('detail-name').textContent = a.name;
    $('detail-type').textContent = a.type;
    $('detail-description').textContent = a.description;
    $('detail-tags').replaceChildren(...a.tags.map((tag) => el('li', {}, tag)));
    $('detail-versions').replaceChildren(...(a.versions.length ? a.versions.map((v) => el('li', {},
      `${v.version} `, el('time', { datetime: v.releasedAt }, new Date(v.releasedAt).toLocaleDateString()))) : [el('li', {}, 'none')]));
    $('detail-metadata').textContent = JSON.stringify(a.metadata, null, 2);
    $('detail-dates').textContent = `Created ${a.createdAt} · updated ${a.updatedAt}`;
    if (!dialog.open) dialog.showModal();
    $('detail-name').focus();
  } catch (error) {
    $('status').textContent = `Could not open the artifact: ${error.message}`;
  }
}
$('detail-close').addEventListener('click', () => dialog.close());
dialog.addEventListener('close', () => {
  if (location.hash.startsWith('#/artifacts/')) history.back();
});
window.addEventListener('hashchange', route);

// live updates
function matches(a) {
  const { type, tags, collection, q } = state.filters;
  return (!type || a.type === type) && tags.every((tag) => a.tags.includes(tag))
    && (!collection || a.collections.some((c) => c.id === collection))
    && (!q || a.name.toLowerCase().includes(q.toLowerCase()));
}

function remove(id) {
  list.querySelector(`li[data-id="${CSS.escape(id)}"]`)?.remove();
  state.ids.delete(id);
}

let counting;
function recount() {
  clearTimeout(counting);
  counting = setTimeout(() => refreshFacets().catch(() => {}), 100);
}

function apply(kind, data) {
  if (!state.rendered) {
    state.pending.push([kind, data]);
    return;
  }
  if (kind === 'reset') {
    reload();
    return;
  }
  if (kind === 'artifact.created' && matches(data) && !state.ids.has(data.id)) {
    state.ids.add(data.id);
    const item = artifactItem(data);
    item.classList.add('new');
    list.prepend(item);
  } else if (kind === 'artifact.updated' || kind === 'artifact.version-added') {
    const shown = list.querySelector(`li[data-id="${CSS.escape(data.id)}"]`);
    if (shown && matches(data)) shown.replaceWith(artifactItem(data));
    else if (shown) remove(data.id);
  } else if (kind === 'artifact.deleted') {
    remove(data.id);
  } else if (kind.startsWith('membership.')) {
    for (const count of list.querySelectorAll(`[data-collection-count="${CSS.escape(data.collectionId)}"]`)) {
      count.textContent = `(${data.artifactCount})`;
    }
  }
  recount();
}

// on a phone the list comes first; the filters open on demand
if (matchMedia('(max-width: 40rem)').matches) $('filter-panel').open = false;

follow(apply, await feedPosition());
route();
