import type { Analytics } from "../api/types";
import { count } from "./format";

export function Clusters({ clusters }: { clusters: Analytics["clusters"] }) {
  const largest = Math.max(1, ...clusters.map((c) => c.users));
  return (
    <section className="panel" aria-labelledby="clusters-title">
      <h2 id="clusters-title">Shopper clusters</h2>
      {clusters.length === 0 ? (
        <p className="muted">No clusters yet: the recluster job has not run.</p>
      ) : (
        <ul className="clusters">
          {clusters.map((c) => (
            <li key={String(c.cluster)}>
              <div className="cluster-head">
                <strong>Cluster {c.cluster}</strong> <span>{count(c.users)} users</span>
              </div>
              <div className="size-bar" aria-hidden="true"><span style={{ width: `${(100 * c.users) / largest}%` }} /></div>
              <div className="muted">{c.top_categories.length ? c.top_categories.join(", ") : "no categories yet"}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
