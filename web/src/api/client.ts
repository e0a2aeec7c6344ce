// The only way the app talks to the server: same-origin fetch with the session cookie, and the
// CSRF cookie echoed in X-CSRF-Token on unsafe requests (the server checks it for cookie sessions).
import type {
  Analytics,
  AuthSession,
  Cart,
  Product,
  Recommendations,
  Review,
  Reviews,
  Rule,
  RuleInput,
  SearchPreview,
  SearchResponse,
  ShopEvent,
  Suggestion,
  Synonym,
  SynonymInput,
  SynonymSuggestion,
  User,
  Without,
} from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** The field the server blamed, when `details` names one (a string, `{field}` or `[{key}]`). */
  get field(): string | null {
    const d = this.details as unknown;
    if (typeof d === "string") return d;
    if (d && typeof d === "object") {
      if (Array.isArray(d)) {
        const first = d[0] as { key?: unknown; field?: unknown } | undefined;
        const key = first?.field ?? first?.key;
        return typeof key === "string" ? key : null;
      }
      const o = d as { field?: unknown; key?: unknown };
      const key = o.field ?? o.key;
      return typeof key === "string" ? key : null;
    }
    return null;
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (UNSAFE.has(method)) {
    const csrf = readCookie("csrftoken");
    if (csrf) headers["X-CSRF-Token"] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "The shop cannot be reached. Check your connection.", null);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "http_" + response.status,
      error?.message ?? `Request failed (${response.status})`,
      error?.details ?? null,
    );
  }
  return data as T;
}

/** Served as a download (`Content-Disposition: attachment`): a plain link fetches it. */
export const EXPORT_URL = "/api/account/export";

/** A list is a repeated parameter (`attr.color=Red&attr.color=Navy`). */
export type SearchParams = Record<string, string | number | string[] | undefined>;

function query(params: SearchParams): string {
  const usp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const item of v) usp.append(k, item);
    else if (v !== undefined && v !== "") usp.set(k, String(v));
  }
  const s = usp.toString();
  return s ? "?" + s : "";
}

const sku = (s: string) => encodeURIComponent(s);

export const api = {
  search: (params: SearchParams) => request<SearchResponse>("GET", "/api/search" + query(params)),
  suggest: (q: string, limit = 8) =>
    request<{ suggestions: Suggestion[] }>("GET", "/api/suggest" + query({ q, limit })),
  product: (s: string) => request<Product>("GET", `/api/products/${sku(s)}`),
  me: () => request<{ user: User }>("GET", "/api/auth/me"),
  signup: (username: string, password: string, email?: string) =>
    request<{ user: User; token: string }>("POST", "/api/auth/signup", {
      username,
      password,
      ...(email ? { email } : {}),
    }),
  login: (username: string, password: string) =>
    request<{ user: User; token: string }>("POST", "/api/auth/login", { username, password }),
  logout: () => request<void>("POST", "/api/auth/logout"),
  sessions: () => request<{ sessions: AuthSession[] }>("GET", "/api/auth/sessions"),
  endSession: (id: string) => request<void>("DELETE", `/api/auth/sessions/${encodeURIComponent(id)}`),
  logoutEverywhere: () => request<void>("POST", "/api/auth/logout-everywhere"),
  deleteAccount: (password: string) => request<void>("DELETE", "/api/account", { password }),
  verifyEmail: (token: string) => request<{ user: User }>("POST", "/api/auth/verify-email", { token }),
  resendVerification: () => request<{ message: string }>("POST", "/api/auth/verify-email/resend"),
  requestPasswordReset: (email: string) =>
    request<{ message: string }>("POST", "/api/auth/password-reset", { email }),
  confirmPasswordReset: (token: string, new_password: string) =>
    request<void>("POST", "/api/auth/password-reset/confirm", { token, new_password }),
  cart: () => request<Cart>("GET", "/api/cart"),
  addToCart: (s: string, quantity: number) => request<Cart>("POST", "/api/cart/items", { sku: s, quantity }),
  setQuantity: (s: string, quantity: number) => request<Cart>("PUT", `/api/cart/items/${sku(s)}`, { quantity }),
  removeLine: (s: string) => request<Cart>("DELETE", `/api/cart/items/${sku(s)}`),
  clearCart: () => request<Cart>("DELETE", "/api/cart"),
  recommendations: (limit = 10) => request<Recommendations>("GET", "/api/recommendations" + query({ limit })),
  reviews: (s: string) => request<Reviews>("GET", `/api/products/${sku(s)}/reviews`),
  putReview: (s: string, rating: number, comment: string) =>
    request<Review>("PUT", `/api/products/${sku(s)}/reviews`, { rating, comment }),
  deleteReview: (s: string) => request<void>("DELETE", `/api/products/${sku(s)}/reviews`),
  analytics: (days: number) => request<Analytics>("GET", "/api/analytics" + query({ days })),
  event: (event: ShopEvent) => request<{ accepted: boolean }>("POST", "/api/events", event),
  synonyms: () => request<{ synonyms: Synonym[] }>("GET", "/api/admin/synonyms"),
  addSynonym: (input: SynonymInput) => request<Synonym>("POST", "/api/admin/synonyms", input),
  updateSynonym: (id: number, input: SynonymInput) => request<Synonym>("PUT", `/api/admin/synonyms/${id}`, input),
  deleteSynonym: (id: number) => request<void>("DELETE", `/api/admin/synonyms/${id}`),
  synonymSuggestions: (refresh = false) =>
    request<{ suggestions: SynonymSuggestion[] }>(
      "GET",
      "/api/admin/synonyms/suggestions" + query({ refresh: refresh ? "true" : undefined }),
    ),
  acceptSuggestion: (id: number) => request<Synonym>("POST", `/api/admin/synonyms/suggestions/${id}/accept`),
  rejectSuggestion: (id: number) => request<void>("POST", `/api/admin/synonyms/suggestions/${id}/reject`),
  rules: () => request<{ rules: Rule[] }>("GET", "/api/admin/rules"),
  addRule: (input: RuleInput) => request<Rule>("POST", "/api/admin/rules", input),
  updateRule: (id: number, input: RuleInput) => request<Rule>("PUT", `/api/admin/rules/${id}`, input),
  deleteRule: (id: number) => request<void>("DELETE", `/api/admin/rules/${id}`),
  /** A search as shoppers get it and without the rules and/or synonyms; logs nothing. */
  searchPreview: (params: SearchParams, without: Without) =>
    request<SearchPreview>("GET", "/api/admin/search/preview" + query({ ...params, without })),
};
