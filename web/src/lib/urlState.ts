// The search page's state lives in the URL so back, forward, reload and shared links work.
export const SORTS = ["relevance", "price_asc", "price_desc", "rating", "popularity", "newest"] as const;
export type Sort = (typeof SORTS)[number];

export interface PageState {
  q: string;
  category?: string;
  brand?: string;
  min_price?: number;
  max_price?: number;
  min_rating?: number;
  /** Attribute filters by name (`attr.<name>=<value>` in the URL and the API): any value of one
   * attribute, every attribute. A numeric range is a `lo..hi` value. */
  attrs?: Record<string, string[]>;
  sort?: Sort;
  page: number;
  product?: string;
}

function num(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export const ATTR_PREFIX = "attr.";

function parseAttrs(p: URLSearchParams): Record<string, string[]> | undefined {
  const attrs: Record<string, string[]> = {};
  for (const [key, value] of p) {
    const name = key.slice(ATTR_PREFIX.length);
    if (!key.startsWith(ATTR_PREFIX) || !name || !value.trim()) continue;
    const values = (attrs[name] ??= []);
    if (!values.includes(value)) values.push(value);
  }
  return Object.keys(attrs).length ? attrs : undefined;
}

/** The attribute filters with one value ticked or unticked; an attribute left with none is dropped. */
export function toggleAttr(
  attrs: Record<string, string[]> | undefined,
  name: string,
  value: string,
  on: boolean,
): Record<string, string[]> | undefined {
  const next = { ...(attrs ?? {}) };
  const values = (next[name] ?? []).filter((v) => v !== value);
  if (on) values.push(value);
  if (values.length) next[name] = values;
  else delete next[name];
  return Object.keys(next).length ? next : undefined;
}

function attrPairs(attrs: Record<string, string[]> | undefined): [string, string][] {
  return Object.keys(attrs ?? {})
    .sort()
    .flatMap((name) => (attrs?.[name] ?? []).map((v): [string, string] => [ATTR_PREFIX + name, v]));
}

export function parseState(search: string): PageState {
  const p = new URLSearchParams(search);
  const sort = p.get("sort");
  const page = Math.floor(num(p.get("page")) ?? 1);
  return {
    q: p.get("q") ?? "",
    category: p.get("category") || undefined,
    brand: p.get("brand") || undefined,
    min_price: num(p.get("min_price")),
    max_price: num(p.get("max_price")),
    min_rating: num(p.get("min_rating")),
    attrs: parseAttrs(p),
    sort: (SORTS as readonly string[]).includes(sort ?? "") ? (sort as Sort) : undefined,
    page: page >= 1 ? page : 1,
    product: p.get("product") || undefined,
  };
}

const ORDER: (keyof PageState)[] = [
  "q", "category", "brand", "min_price", "max_price", "min_rating", "sort", "page", "product",
];

export function serializeState(state: PageState): string {
  const p = new URLSearchParams();
  for (const key of ORDER) {
    if (key === "sort") for (const [k, v] of attrPairs(state.attrs)) p.append(k, v);
    const value = state[key];
    if (value === undefined || value === "" || (key === "page" && value === 1)) continue;
    p.set(key, String(value));
  }
  const s = p.toString();
  return s ? "?" + s : "";
}

/** The API parameters for a page state (the modal's product is not a search parameter). */
export function searchParams(state: PageState): Record<string, string | number | string[] | undefined> {
  const { product: _product, attrs, ...rest } = state;
  const params: Record<string, string | number | string[] | undefined> = { ...rest, per_page: 12 };
  for (const name of Object.keys(attrs ?? {}).sort()) params[ATTR_PREFIX + name] = attrs?.[name];
  return params;
}
