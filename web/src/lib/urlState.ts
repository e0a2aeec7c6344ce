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
  sort?: Sort;
  page: number;
  product?: string;
}

function num(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
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
    const value = state[key];
    if (value === undefined || value === "" || (key === "page" && value === 1)) continue;
    p.set(key, String(value));
  }
  const s = p.toString();
  return s ? "?" + s : "";
}

/** The API parameters for a page state (the modal's product is not a search parameter). */
export function searchParams(state: PageState): Record<string, string | number | undefined> {
  const { product: _product, ...rest } = state;
  return { ...rest, per_page: 12 };
}
