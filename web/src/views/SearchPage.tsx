import { useEffect, useState } from "react";
import { api, ApiError } from "../api/client";
import type { Product, Recommendations, SearchItem, SearchResponse } from "../api/types";
import { InterpretedChips, sortLabel } from "../components/Chips";
import { Filters } from "../components/Filters";
import { Pagination } from "../components/Pagination";
import { ProductRow } from "../components/ProductRow";
import { CardSkeletons, ResultCard } from "../components/ResultCard";
import { withoutPricePhrase, withoutSortPhrase } from "../lib/priceChips";
import { attrLabel, valueLabel } from "../lib/attributes";
import { SORTS, searchParams, toggleAttr, type PageState } from "../lib/urlState";

interface Props {
  state: PageState;
  navigate: (patch: Partial<PageState>, reset?: boolean) => void;
  openResult: (item: SearchItem, result: SearchResponse) => void;
  openRecommended: (product: Product, position: number) => void;
  recommendations: Recommendations | null;
}

export function SearchPage({ state, navigate, openResult, openRecommended, recommendations }: Props) {
  const [result, setResult] = useState<SearchResponse | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(searchParams(state));

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    api
      .search(JSON.parse(key) as ReturnType<typeof searchParams>)
      .then((r) => current && setResult(r))
      .catch((e: unknown) => current && setError(e instanceof ApiError ? e.message : "Search failed."))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [key]);

  const activeFilters: [string, string, Partial<PageState>][] = [];
  if (state.category) activeFilters.push(["category", `Category: ${state.category}`, { category: undefined }]);
  if (state.brand) activeFilters.push(["brand", `Brand: ${state.brand}`, { brand: undefined }]);
  if (state.min_price !== undefined) activeFilters.push(["min", `From $${state.min_price}`, { min_price: undefined }]);
  if (state.max_price !== undefined) activeFilters.push(["max", `Up to $${state.max_price}`, { max_price: undefined }]);
  if (state.min_rating !== undefined) activeFilters.push(["rating", `${state.min_rating}★ and up`, { min_rating: undefined }]);
  for (const [name, values] of Object.entries(state.attrs ?? {}))
    for (const value of values)
      activeFilters.push([`attr.${name}=${value}`, `${attrLabel(name)}: ${valueLabel(value)}`, { attrs: toggleAttr(state.attrs, name, value, false) }]);

  return (
    <div className="search-layout">
      <Filters state={state} result={result} onChange={(patch) => navigate(patch)} />
      <main id="main" className="results" aria-busy={loading}>
        <div className="results-head">
          <p className="summary" aria-live="polite">
            {loading ? "Searching…" : result ? `${result.total.toLocaleString()} results${state.q ? ` for “${state.q}”` : ""}` : ""}
          </p>
          <label className="sort">
            Sort by{" "}
            <select
              value={state.sort ?? "relevance"}
              onChange={(e) => navigate({ sort: e.target.value === "relevance" ? undefined : (e.target.value as PageState["sort"]) })}
            >
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {sortLabel(s)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {result?.query.corrected && (
          <p className="corrected">
            Showing results for <strong>{result.query.corrected}</strong>.{" "}
            <button type="button" className="link" onClick={() => navigate({ q: `"${state.q}"` })}>
              Search instead for “{state.q}”
            </button>
          </p>
        )}
        {result && (
          <InterpretedChips
            interpreted={result.query.interpreted}
            actions={{
              removePrice: () => navigate({ q: withoutPricePhrase(state.q) }),
              removeSort: () => navigate({ q: withoutSortPhrase(state.q), sort: "relevance" }),
            }}
          />
        )}
        {activeFilters.length > 0 && (
          <ul className="chips" aria-label="Active filters">
            {activeFilters.map(([id, label, patch]) => (
              <li key={id} className="chip">
                {label}
                <button type="button" className="icon" aria-label={`Remove ${label}`} onClick={() => navigate(patch)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        {error && (
          <p className="error-box" role="alert">
            {error}
          </p>
        )}
        {loading && !result ? (
          <CardSkeletons />
        ) : result && result.items.length > 0 ? (
          <ul className={`grid${loading ? " stale" : ""}`} aria-label="Search results">
            {result.items.map((item) => (
              <ResultCard key={item.sku} item={item} onOpen={(it) => openResult(it, result)} />
            ))}
          </ul>
        ) : (
          result &&
          !loading && (
            <div className="empty">
              <h2>No products match{state.q ? ` “${state.q}”` : ""}.</h2>
              <p>Try fewer words, check the spelling, or remove a filter.</p>
              <ul className="chips">
                {activeFilters.length > 0 && (
                  <li>
                    <button type="button" onClick={() => navigate({ q: state.q }, true)}>
                      Clear all filters
                    </button>
                  </li>
                )}
                {(recommendations?.recommended ?? []).slice(0, 4).map((p) => (
                  <li key={p.sku}>
                    <button type="button" onClick={() => navigate({ q: p.category ?? p.title }, true)}>
                      {p.category ?? p.title}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )
        )}
        {result && <Pagination page={result.page} pages={result.pages} onPage={(page) => navigate({ page }, false)} />}
        {recommendations && (
          <>
            <ProductRow title="Recently viewed" products={recommendations.recently_viewed} onOpen={openRecommended} />
            <ProductRow title="Recommended for you" products={recommendations.recommended} onOpen={openRecommended} />
          </>
        )}
      </main>
    </div>
  );
}
