// The home page: performers as a grid of cards (avatar, stage name, rating, tags, 18+
// badge) with search and filters; all of it from their public profiles, which only the
// performers publish and may erase.

import { api, type Discover, type Performer, type Sort } from '../api';
import { h, mount } from '../dom';
import { percent, shortAccount, stars } from '../format';
import { pager } from './pager';

const SORTS: [Sort, string][] = [
  ['rating', 'Best rated'],
  ['support', 'Most LIVE burned for them'],
  ['newest', 'Newest'],
];

const MIN_RATINGS: [string, string][] = [
  ['', 'Any rating'],
  ['500000', '50% or more'],
  ['800000', '80% or more'],
  ['900000', '90% or more'],
];

function card(performer: Performer): HTMLElement {
  const profile = performer.public_profile;
  const name = profile?.document.stage_name ?? shortAccount(performer.account);
  const avatar = profile?.avatar_url
    ? h('img', { class: 'avatar', src: profile.avatar_url, alt: '', loading: 'lazy', width: 96, height: 96 })
    : h('div', { class: 'avatar placeholder', 'aria-hidden': 'true' }, name.slice(0, 1).toUpperCase());
  return h(
    'li',
    { class: 'performer-card', 'data-account': performer.account },
    h(
      'a',
      { href: `#/performer/${performer.account}` },
      avatar,
      h('span', { class: 'stage-name' }, name),
    ),
    h(
      'div',
      { class: 'muted small' },
      `${percent(performer.rating.rating_ppm)} · ${stars(performer.rating.stars_milli)} ★`,
    ),
    profile?.document.tags.length
      ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, ...profile.document.tags.map((tag) => h('li', {}, tag)))
      : null,
    performer.online ? h('span', { class: 'online' }, '● online now') : null,
    performer.adult_verifier
      ? h('span', { class: 'badge', title: `Attested by ${performer.adult_verifier}` }, `18+ attested by ${shortAccount(performer.adult_verifier)}`)
      : null,
  );
}

export function renderBrowse(main: HTMLElement): void {
  const query: Discover = { sort: 'rating', limit: 24 };
  const grid = h('ul', { class: 'grid', 'aria-label': 'Performers' });
  const message = h('p', { role: 'status', class: 'muted' });
  const pages = pager(
    message,
    (cursor) => api.performers({ ...query, cursor }),
    (page) => {
      mount(grid, ...page.items.map(card));
      message.textContent = page.items.length ? '' : 'No performer matches.';
      return page.next_cursor;
    },
  );
  // Typing restarts the search once the keys pause.
  let pending: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    clearTimeout(pending);
    pending = setTimeout(pages.restart, 150);
  };
  const text = (id: string, label: string, set: (value: string | undefined) => void, attrs: Record<string, string | number> = {}) => {
    const input = h('input', {
      id,
      type: 'search',
      autocomplete: 'off',
      ...attrs,
      oninput: () => {
        set(input.value.trim() || undefined);
        restart();
      },
    });
    return h('label', { for: id }, label, ' ', input);
  };
  const select = (id: string, label: string, options: [string, string][], set: (value: string) => void) => {
    const control = h('select', {
      id,
      onchange: () => {
        set(control.value);
        restart();
      },
    });
    for (const [value, text] of options) control.append(h('option', { value }, text));
    return h('label', { for: id }, label, ' ', control);
  };

  mount(
    main,
    h('h1', {}, 'Performers'),
    h(
      'form',
      { class: 'controls', role: 'search', onsubmit: (event: Event) => event.preventDefault() },
      text('search', 'Stage name', (v) => (query.q = v), { maxlength: 40 }),
      text('tag', 'Tag', (v) => (query.tag = v?.toLowerCase()), { maxlength: 24, placeholder: 'e.g. music' }),
      text('language', 'Language', (v) => (query.language = v), { maxlength: 6, placeholder: 'e.g. en' }),
      select('sort', 'Order', SORTS, (v) => (query.sort = v as Sort)),
      select('min-rating', 'Rating', MIN_RATINGS, (v) => (query.min_rating = v ? Number(v) : undefined)),
      h(
        'label',
        { for: 'online' },
        h('input', {
          id: 'online',
          type: 'checkbox',
          onchange: (event: Event) => {
            query.online = (event.target as HTMLInputElement).checked || undefined;
            restart();
          },
        }),
        ' Online now',
      ),
    ),
    grid,
    message,
    pages.element,
  );
  pages.restart();
}
