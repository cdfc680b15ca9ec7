// DOM building. User text only ever goes in as text (textContent, attribute values), never as
// markup.

export function el(name, attributes = {}, ...children) {
  const element = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(key, value);
  }
  element.append(...children);
  return element;
}

export function artifactItem(artifact) {
  const article = el('article', {},
    el('h3', {}, el('a', { href: `#/artifacts/${artifact.id}` }, artifact.name)),
    el('span', { class: 'type' }, artifact.type));
  if (artifact.description) article.append(el('p', {}, artifact.description));
  if (artifact.tags?.length) {
    article.append(el('ul', { class: 'tags', 'aria-label': 'Tags' }, ...artifact.tags.map((tag) => el('li', {}, tag))));
  }
  if (artifact.collections?.length) {
    const line = el('p', { class: 'in' }, 'In ');
    artifact.collections.forEach((collection, i) => {
      if (i > 0) line.append(', ');
      line.append(el('a', { href: `#/collections/${collection.id}` }, collection.name), ' ',
        el('span', { class: 'count', 'data-collection-count': collection.id }, `(${collection.artifactCount})`));
    });
    article.append(line);
  }
  return el('li', { class: 'artifact', 'data-id': artifact.id }, article);
}

/** One radio per type with what choosing it would give; "All" with the total. */
export function typeChoices(fieldset, facets, chosen) {
  const all = Object.values(facets.types).reduce((sum, n) => sum + n, 0);
  const choices = [['', 'All types', all], ...Object.entries(facets.types).map(([type, n]) => [type, type, n])];
  fieldset.replaceChildren(fieldset.querySelector('legend'), ...choices.map(([value, label, count]) => el('label', {},
    el('input', { type: 'radio', name: 'type', value, id: `type-${value || 'all'}`, checked: value === chosen }),
    label, ' ', el('span', { class: 'count', id: `type-count-${value || 'all'}` }, `(${count})`))));
}

/** A checkbox per top tag with its count; chosen tags stay listed even when out of the top. */
export function tagChoices(fieldset, facets, chosen) {
  const counts = new Map(facets.tags.map(({ tag, count }) => [tag, count]));
  const tags = [...new Set([...chosen, ...counts.keys()])];
  fieldset.replaceChildren(fieldset.querySelector('legend'), ...tags.map((tag) => el('label', {},
    el('input', { type: 'checkbox', name: 'tag', value: tag, checked: chosen.includes(tag) }),
    tag, ' ', el('span', { class: 'count' }, `(${counts.get(tag) ?? 0})`))));
}

/** An option per top collection with its matching count; the chosen one stays listed. */
export function collectionChoices(select, facets, chosen, chosenName) {
  const options = [el('option', { value: '' }, 'All collections')];
  const listed = facets.collections.some((c) => c.id === chosen);
  if (chosen && !listed) options.push(el('option', { value: chosen, selected: true }, chosenName ?? chosen));
  for (const c of facets.collections) {
    options.push(el('option', { value: c.id, selected: c.id === chosen }, `${c.name} (${c.count})`));
  }
  select.replaceChildren(...options);
}
