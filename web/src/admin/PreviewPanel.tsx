import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api/client";
import type { SearchItem, SearchPreview, SearchResponse, Without } from "../api/types";

type Props = {
  without: Without;
  label: string; // what is left out, as the column heading says it: "rules", "synonyms"
  /** Skus to strike out in the "without" column: those the applied rules hide. */
  hidden?: (shown: SearchResponse) => Set<string>;
  /** Marks an item of the "with" column that the "without" one lacks (found through a synonym). */
  added?: string;
};

const PER_PAGE = 12;

function Column({ title, result, badge, struck }: {
  title: string;
  result: SearchResponse;
  badge: (item: SearchItem) => string | null;
  struck: Set<string>;
}) {
  return (
    <section className="preview-column" aria-label={title}>
      <h3>{title} <span className="muted">({result.total} found)</span></h3>
      {result.query.rules && result.query.rules.length > 0 && (
        <p className="muted">Rules applied: {result.query.rules.join(", ")}</p>
      )}
      {result.items.length === 0 ? (
        <p className="muted">No products.</p>
      ) : (
        <ol className="preview-list">
          {result.items.map((item) => {
            const mark = badge(item);
            const gone = struck.has(item.sku);
            return (
              <li key={item.sku} data-sku={item.sku} className={gone ? "struck" : undefined}>
                <span className="preview-pos">{item.position}.</span>
                {gone ? <s aria-label={`${item.title} (hidden)`}>{item.title}</s> : <span>{item.title}</span>}
                <span className="muted"> {item.sku}</span>
                {mark && <span className="tag">{mark}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** Type a query, see the shop's first page beside the same search without the rules or synonyms. */
export function PreviewPanel({ without, label, hidden, added }: Props) {
  const [q, setQ] = useState("");
  const [preview, setPreview] = useState<SearchPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setPreview(await api.searchPreview({ q: q.trim(), per_page: PER_PAGE }, without));
    } catch (err) {
      setPreview(null);
      setError(err instanceof ApiError ? err.message : "Something went wrong.");
    } finally {
      setBusy(false);
    }
  };

  const bare = new Set(preview?.without.items.map((i) => i.sku) ?? []);
  const struck = preview && hidden ? hidden(preview.with) : new Set<string>();
  return (
    <section aria-labelledby={`preview-${without}`} className="preview">
      <h2 id={`preview-${without}`}>Preview</h2>
      <p className="muted">
        A query's first page as shoppers see it (the control arm), beside the same search without the {label}.
        Previews are not logged.
      </p>
      <form className="synonym-form" role="search" aria-label="Preview a query" onSubmit={run}>
        <label>Query <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="winter jacket" /></label>
        <button type="submit" className="primary" disabled={busy}>{busy ? "Searching…" : "Preview"}</button>
      </form>
      {error && <p className="field-error" role="alert">{error}</p>}
      {preview && (
        <div className="preview-columns">
          <Column title={`With ${label}`} result={preview.with} struck={new Set()}
            badge={(item) => (item.pinned ? "Pinned" : added && !bare.has(item.sku) ? added : null)} />
          <Column title={`Without ${label}`} result={preview.without} struck={struck} badge={() => null} />
        </div>
      )}
    </section>
  );
}
