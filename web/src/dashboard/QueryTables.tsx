import type { Analytics } from "../api/types";
import { count, pct } from "./format";

function CountTable({ title, rows, empty }: { title: string; rows: { query: string; count: number }[]; empty: string }) {
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table className="data">
          <thead><tr><th scope="col">Query</th><th scope="col">Searches</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.query}><td>{r.query}</td><td>{count(r.count)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function QueryTables({ data }: { data: Analytics }) {
  return (
    <>
      <CountTable title="Top queries" rows={data.top_queries} empty="No searches yet." />
      <CountTable title="Zero-result queries" rows={data.zero_result_queries} empty="Every query found something." />
      <section className="panel" aria-label="Lowest click-through queries">
        <h2>Lowest click-through queries</h2>
        {data.lowest_ctr_queries.length === 0 ? (
          <p className="muted">No query has 5 searches with results yet.</p>
        ) : (
          <table className="data">
            <thead><tr><th scope="col">Query</th><th scope="col">Searches</th><th scope="col">Clicks</th><th scope="col">CTR</th></tr></thead>
            <tbody>
              {data.lowest_ctr_queries.map((r) => (
                <tr key={r.query}><td>{r.query}</td><td>{count(r.searches)}</td><td>{count(r.clicks)}</td><td>{pct(r.ctr)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
