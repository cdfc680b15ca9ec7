// Talks to the API: the base URL (this origin unless ?api= names another, which must allow
// this page's origin by CORS), and a status line saying where the last answer came from.

const base = new URLSearchParams(location.search).get('api') ?? '';

export const apiBase = base;

const status = document.getElementById('status');

/**
 * GETs JSON. cache: 'no-cache' has the browser revalidate what it holds with If-None-Match
 * (a 304 costs the service one Redis read and sends no body), so a list or its counts are
 * never older than the last write the page heard of.
 */
export async function getJson(path, { signal } = {}) {
  const started = performance.now();
  const response = await fetch(base + path, { cache: 'no-cache', headers: { Accept: 'application/json' }, signal });
  const took = Math.round(performance.now() - started);
  show(path, response, took);
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail ?? `${response.status} ${response.statusText}`);
  }
  return response.json();
}

function show(path, response, took) {
  const parts = [`GET ${path.split('?')[0]}`, `${response.status}`];
  const cache = response.headers.get('X-Cache');
  if (cache) parts.push(`X-Cache: ${cache}`);
  const timing = response.headers.get('Server-Timing');
  if (timing) parts.push(`Server-Timing: ${timing}`);
  parts.push(`${took} ms`);
  status.textContent = parts.join(' · ');
  status.dataset.cache = cache ?? '';
}
