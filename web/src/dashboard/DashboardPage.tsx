import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError } from "../api/client";
import type { Analytics } from "../api/types";
import { AdminsOnly } from "./AdminsOnly";
import { ArmCards } from "./ArmCards";
import { Clusters } from "./Clusters";
import { armsOf } from "./format";
import { LiftChart } from "./LiftChart";
import { PositionChart } from "./PositionChart";
import { QueryTables } from "./QueryTables";
import { SampleRatioCheck } from "./SampleRatioCheck";
import { SeriesChart } from "./SeriesChart";
import { useAutoRefresh } from "./useAutoRefresh";

export const WINDOWS = [7, 30, 90] as const;
export const REFRESH_MS = 30_000;

const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

export default function DashboardPage() {
  const [days, setDays] = useState<number>(30);
  const [data, setData] = useState<Analytics | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [updated, setUpdated] = useState<Date | null>(null);
  // Only the latest request may write the state: a slow 90-day answer must not overwrite a 7-day one.
  const sequence = useRef(0);

  const load = useCallback(() => {
    const mine = ++sequence.current;
    setLoading(true);
    api
      .analytics(days)
      .then((answer) => {
        if (mine !== sequence.current) return;
        setData(answer);
        setError(null);
        setUpdated(new Date());
      })
      .catch((e: unknown) => {
        if (mine !== sequence.current) return;
        setError(e instanceof ApiError ? e : new ApiError(0, "unknown", String(e), null));
      })
      .finally(() => {
        if (mine === sequence.current) setLoading(false);
      });
  }, [days]);

  useEffect(load, [load]);
  useAutoRefresh(load, REFRESH_MS);

  if (error && (error.status === 401 || error.status === 403)) return <AdminsOnly loggedIn={error.status === 403} />;

  const order = data ? armsOf(Object.keys(data.arms)) : [];
  const noTraffic = data !== null && order.every((arm) => data.arms[arm].searches === 0);
  const notEnough = data !== null && /not enough data/i.test(data.verdict);

  return (
    <main id="main" className="dashboard" aria-busy={loading}>
      <div className="dashboard-head">
        <h1>Analytics</h1>
        <label>
          Window{" "}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Window">
            {WINDOWS.map((d) => (
              <option key={d} value={d}>Last {d} days</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={load} disabled={loading}>Refresh</button>
        <span className="muted" data-testid="last-updated" aria-live="polite">
          {loading ? "Updating…" : updated ? `Last updated ${time.format(updated)}` : ""}
        </span>
      </div>
      {error && (
        <p className="error-box" role="alert">
          The analytics could not be loaded: {error.message}
          {data ? " Showing the last figures that loaded." : ""}
        </p>
      )}
      {!data && !error && <p className="muted" role="status">Loading the analytics…</p>}
      {data && (
        <>
          <p className="muted">
            {data.since} to {data.until} ({data.days} days)
          </p>
          {noTraffic && (
            <p className="empty-note" role="status">No searches in this window yet: the figures fill in as shoppers search.</p>
          )}
          <p className={notEnough ? "verdict pending" : "verdict"} data-testid="verdict">{data.verdict}</p>
          <ArmCards arms={data.arms} order={order} />
          <div className="dashboard-grid">
            <LiftChart comparison={data.comparison} method={data.method} />
            <SampleRatioCheck check={data.sample_ratio} order={order} />
            <SeriesChart series={data.series} order={order} />
            <PositionChart positions={data.positions} order={order} />
            <Clusters clusters={data.clusters} />
            <QueryTables data={data} />
          </div>
        </>
      )}
    </main>
  );
}
