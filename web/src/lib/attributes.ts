// How attribute facets read to a shopper: names as words, range buckets as ranges.

/** `screen_size_in` -> "Screen size in". */
export function attrLabel(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : name;
}

const RANGE = /^(-?[\d.]*)\.\.(-?[\d.]*)$/;

/** A range bucket `lo..hi` (hi excluded) as "40 – 50", "under 40", "80 and up"; other values as they are. */
export function valueLabel(value: string): string {
  const m = RANGE.exec(value);
  if (!m || (!m[1] && !m[2])) return value;
  const [, lo, hi] = m;
  if (!lo) return `under ${hi}`;
  if (!hi) return `${lo} and up`;
  return `${lo} – ${hi}`;
}
