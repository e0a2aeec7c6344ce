// Shapes of the public API (shared/docs/api.md).
export interface User {
  id: number | string;
  username: string;
  email: string | null;
  email_verified: boolean;
  is_admin: boolean;
  group: string;
  created_at: string;
}

/** One of the user's sessions, as `GET /api/auth/sessions` lists it. */
export interface AuthSession {
  id: string;
  created_at: string;
  last_used_at: string;
  address: string | null;
  user_agent: string | null;
  current: boolean;
}

export interface Product {
  sku: string;
  title: string;
  description: string | null;
  category: string | null;
  brand: string | null;
  price: number;
  rating: number | null;
  review_count: number | null;
  popularity?: number | null;
  image_url: string | null;
  created_at?: string | null;
  attributes?: Record<string, unknown> | null;
}

export interface SearchItem extends Product {
  score: number;
  position: number;
  highlight?: { title?: string };
  pinned?: boolean; // placed by a curation rule's pin
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface Interpretation {
  category?: string | null;
  min_price?: number | null;
  max_price?: number | null;
  sort?: string | null;
}

export interface SearchResponse {
  search_id: string;
  query: { text: string; corrected: string | null; interpreted: Interpretation; rules?: string[] };
  items: SearchItem[];
  total: number;
  page: number;
  per_page: number;
  pages: number;
  facets: {
    category: FacetValue[];
    brand: FacetValue[];
    price: { min: number | null; max: number | null } | null;
    /** By attribute: text values by count, or numbers and `lo..hi` range buckets ascending. */
    attributes?: Record<string, FacetValue[]>;
  };
}

export interface Suggestion {
  text: string;
  kind: "query" | "product" | "category";
}

export interface CartLine {
  sku: string;
  title: string;
  price: number;
  quantity: number;
  line_total: number;
}

export interface Cart {
  items: CartLine[];
  total_items: number;
  total_price: number;
}

export interface Review {
  username: string;
  rating: number;
  comment: string | null;
  created_at: string;
}

export interface Reviews {
  reviews: Review[];
  total: number;
  average: number | null;
}

export interface Recommendations {
  recently_viewed: Product[];
  recommended: Product[];
}

export type EventType = "view" | "click" | "add_to_cart";

export interface ShopEvent {
  type: EventType;
  sku: string;
  search_id?: string;
  position?: number;
  query?: string;
}

// GET /api/analytics: read from the rollup tables; rates are fractions (0.05 = 5 %), and any
// figure an arm has no data for is null.
export interface ArmStats {
  users: number;
  searches: number;
  impressions: number;
  clicks: number;
  add_to_cart: number;
  ctr: number | null;
  conversion: number | null;
  ctr_per_impression: number | null;
  zero_result_rate: number | null;
  mrr: number | null;
}

export interface Comparison {
  lift: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
}

export interface SampleRatio {
  observed: Record<string, number>;
  expected_share: Record<string, number>;
  p_value: number | null;
  mismatch: boolean;
}

export interface QueryCount {
  query: string;
  count: number;
}

export interface Analytics {
  days: number;
  since: string;
  until: string;
  method: string;
  verdict: string;
  arms: Record<string, ArmStats>;
  comparison: Record<string, Comparison>;
  sample_ratio: SampleRatio;
  series: { day: string; arm: string; searches: number; clicks: number; add_to_cart: number }[];
  positions: { position: number; arm: string; impressions: number; clicks: number; ctr: number | null }[];
  clusters: { cluster: number | string; users: number; top_categories: string[] }[];
  top_queries: QueryCount[];
  zero_result_queries: QueryCount[];
  lowest_ctr_queries: { query: string; searches: number; clicks: number; ctr: number | null }[];
}

/** A synonym: multi-way `terms`, or one-way `from` -> `to`. */
export interface Synonym {
  id: number;
  kind: "multi_way" | "one_way";
  terms: string[] | null;
  from: string | null;
  to: string[] | null;
}

export type SynonymInput = { terms: string[] } | { from: string; to: string[] };

/** A pair learned from shoppers' reformulations, waiting for a decision. */
export interface SynonymSuggestion {
  id: number;
  from: string;
  to: string;
  support: number;
  lift: number;
  status: "pending" | "accepted" | "rejected";
}

/** A curation rule: one trigger (query, contains or category), and pins, hides or boosts. */
export interface RulePin {
  sku: string;
  position: number;
}

export interface BoostFilter {
  brand?: string | null;
  category?: string | null;
  attribute?: { name: string; value: string | number | boolean } | null;
  min_price?: number | null;
  max_price?: number | null;
}

export interface RuleBoost {
  filter: BoostFilter;
  weight: number;
}

export interface RuleInput {
  name?: string;
  query?: string | null;
  contains?: string | null;
  category?: string | null;
  pin: RulePin[];
  hide: string[];
  boost: RuleBoost[];
  starts_at?: string | null;
  ends_at?: string | null;
}

export interface Rule extends RuleInput {
  id: number;
  name: string; // its own name, or "rule <id>", as `query.rules` names it
}

/** What the preview leaves out of its second search. */
export type Without = "rules" | "synonyms" | "both";

export interface SearchPreview {
  with: SearchResponse;
  without: SearchResponse;
}
