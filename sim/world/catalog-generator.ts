import { Rng } from './rng';

/**
 * A deterministic fake MediaCMS catalog: same seed and size, same items. Covers the shapes that
 * trip a catalog sync: hidden categories and tags, multi-line descriptions, shorts and movies,
 * unprobed (0 s) items, punctuation, quotes and unicode in titles, a leading "(1989)", file
 * extensions, items without a thumbnail, and a few unlisted/private items.
 */

export interface CatalogItem {
  friendly_token: string;
  title: string;
  description: string;
  /** Seconds; 0 means "not probed yet". */
  duration: number;
  add_date: string;
  edit_date: string;
  user: string;
  state: 'public' | 'unlisted' | 'private';
  media_type: 'video' | 'audio';
  encoding_status: 'success' | 'pending' | 'running' | 'fail';
  views: number;
  likes: number;
  dislikes: number;
  reported_times: number;
  featured: boolean;
  is_reviewed: boolean;
  size: string;
  categories: string[];
  tags: string[];
  has_thumbnail: boolean;
}

export const HIDDEN_CATEGORIES = ['Z Channel Promos', 'Z Event Movies', 'Weekday Z Promos'];
export const HIDDEN_TAGS = [
  'grindhousebumper',
  'commercialsforbumpers',
  'bumpers',
  'channelz',
  'grindhousetrailer',
  'publicaccess',
  'religioustv',
];
export const CATEGORIES = [
  'Movies',
  'TV Episodes',
  'Music Videos',
  'Cartoons',
  'Documentaries',
  'Shorts',
  'Trailers',
  'Horror',
  'Sci-Fi',
  'Comedy',
];
export const TAGS = [
  'action',
  'adventure',
  'animation',
  'b-movie',
  'classic',
  'comedy',
  'cult',
  'documentary',
  'drama',
  'eighties',
  'fantasy',
  'film-noir',
  'horror',
  'kung-fu',
  'musical',
  'mystery',
  'nineties',
  'public-domain',
  'romance',
  'sci-fi',
  'seventies',
  'silent',
  'slasher',
  'space',
  'spy',
  'superhero',
  'thriller',
  'western',
  'zombies',
  'science fiction',
];
export const OWNERS = ['admin', 'dropsugar', 'grindhouse', 'tacobelmont'];

const ADJECTIVES = [
  'Midnight',
  'Crimson',
  'Silent',
  'Electric',
  'Forgotten',
  'Savage',
  'Golden',
  'Atomic',
  'Haunted',
  'Last',
  'Lonely',
  'Burning',
  'Frozen',
  'Invisible',
  'Wild',
  'Neon',
  'Hidden',
  'Radioactive',
  'Velvet',
  'Iron',
];
const NOUNS = [
  'Harbor',
  'Planet',
  'Detective',
  'Highway',
  'Castle',
  'Invaders',
  'Island',
  'Kingdom',
  'Mummy',
  'Robot',
  'Ranger',
  'Stranger',
  'Empire',
  'Monster',
  'Circus',
  'Samurai',
  'Witness',
  'Jungle',
  'Saucer',
  'Swamp',
];
const ODD_TITLES = [
  'Don\'t Look Back: "The Director\'s Cut"',
  'Amélie & the Café Ñandú',
  '東京物語 (Tokyo Story)',
  '¡Ay, Caramba! — Part II',
  '...And Justice for All?',
  '2001: A Space Odyssey',
  '12 Angry Men',
  '"Quoted" Title, With Commas; And Semicolons',
  'Ça Ira <b>not html</b>',
  'Zoë’s Ünïcödé Night',
];
const DESCRIPTION_LINES = [
  'A classic of the genre.',
  'Restored from a 16mm print.',
  'Nobody expected what came next.',
  'Contains flashing lights.',
  'Originally broadcast on public access.',
  'Part of the weekend marathon.',
  'Starring nobody you have heard of.',
  'Subtitles available.',
];
const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function token(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 9; i++) out += TOKEN_CHARS[rng.int(TOKEN_CHARS.length)];
  return out;
}

function duration(rng: Rng): number {
  const roll = rng.next();
  if (roll < 0.02) return 0; // not probed yet
  if (roll < 0.3) return rng.range(15, 900); // shorts and music videos
  if (roll < 0.55) return rng.range(1200, 2100); // 30-min episodes
  if (roll < 0.7) return rng.range(2400, 3900); // 60-min episodes
  if (roll < 0.73) return 3600; // exactly one hour
  return rng.range(4000, 11_000); // movies
}

function title(rng: Rng, index: number): string {
  const roll = rng.next();
  const base = `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
  const year = rng.range(1920, 2024);
  if (roll < 0.06) return rng.pick(ODD_TITLES);
  if (roll < 0.12) return `(${year}) ${base}`;
  if (roll < 0.2) return `${base} S0${rng.range(1, 9)}E${String(rng.range(1, 24)).padStart(2, '0')}`;
  if (roll < 0.25) return `${base.replace(/ /g, '.')}.${year}.1080p.mp4`;
  if (roll < 0.27) return `${base} ${'and the Very Long Subtitle '.repeat(4)}`.slice(0, 100).trim();
  if (roll < 0.6) return `${base} (${year})`;
  if (roll < 0.65) return `The ${base} #${index}`;
  return `${base} ${rng.pick(NOUNS)}`;
}

function description(rng: Rng): string {
  const lines = rng.int(4);
  return Array.from({ length: lines }, () => rng.pick(DESCRIPTION_LINES)).join('\n');
}

function pickSome(rng: Rng, list: readonly string[], max: number): string[] {
  const out = new Set<string>();
  const n = rng.int(max + 1);
  for (let i = 0; i < n; i++) out.add(rng.pick(list));
  return [...out];
}

/** Generate `size` items, newest first (MediaCMS's default order). */
export function generateCatalog(seed: number, size: number, startTimeMs: number): CatalogItem[] {
  const rng = new Rng(seed ^ 0x5eed);
  const seen = new Set<string>();
  const items: CatalogItem[] = [];
  const fiveYears = 5 * 365 * 86_400_000;
  for (let i = 0; i < size; i++) {
    let tok = token(rng);
    while (seen.has(tok)) tok = token(rng);
    seen.add(tok);
    const added = startTimeMs - 3_600_000 - rng.int(fiveYears);
    const categories = pickSome(rng, CATEGORIES, 2);
    if (rng.chance(0.04)) categories.push(rng.pick(HIDDEN_CATEGORIES));
    const tags = pickSome(rng, TAGS, 4);
    if (rng.chance(0.05)) tags.push(rng.pick(HIDDEN_TAGS));
    const stateRoll = rng.next();
    items.push({
      friendly_token: tok,
      title: title(rng, i),
      description: description(rng),
      duration: duration(rng),
      add_date: new Date(added).toISOString(),
      edit_date: new Date(added + rng.int(86_400_000)).toISOString(),
      user: rng.pick(OWNERS),
      state: stateRoll < 0.02 ? 'private' : stateRoll < 0.05 ? 'unlisted' : 'public',
      media_type: rng.chance(0.03) ? 'audio' : 'video',
      encoding_status: 'success',
      views: rng.int(5000),
      likes: rng.int(200),
      dislikes: rng.int(20),
      reported_times: 0,
      featured: rng.chance(0.05),
      is_reviewed: true,
      size: `${rng.range(10, 4000)}MB`,
      categories,
      tags,
      has_thumbnail: !rng.chance(0.03),
    });
  }
  return items.sort((a, b) => (a.add_date < b.add_date ? 1 : a.add_date > b.add_date ? -1 : 0));
}
