import { Bar, BarChart, CartesianGrid, ErrorBar, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Comparison } from "../api/types";
import { pValue, signedPct } from "./format";

const LABELS: Record<string, string> = {
  ctr: "Click-through (per search)",
  conversion: "Conversion",
  ctr_per_impression: "Click-through (per impression)",
};

export function metricLabel(metric: string): string {
  return LABELS[metric] ?? metric;
}

/** Lift of personalized over popularity per metric, its 95 % interval as error bars, and a table. */
export function LiftChart({ comparison, method }: { comparison: Record<string, Comparison>; method: string }) {
  const metrics = Object.keys(comparison);
  // Percent points for the chart; the error bar takes [below, above] distances from the lift.
  const rows = metrics
    .map((metric) => ({ metric, ...comparison[metric] }))
    .filter((r) => r.lift !== null && r.ci_low !== null && r.ci_high !== null)
    .map((r) => ({
      label: metricLabel(r.metric),
      lift: r.lift! * 100,
      interval: [(r.lift! - r.ci_low!) * 100, (r.ci_high! - r.lift!) * 100],
    }));
  return (
    <section className="panel lift" aria-labelledby="lift-title">
      <h2 id="lift-title">Lift of personalized over popularity</h2>
      {rows.length > 0 ? (
        <div className="chart" data-testid="lift-chart">
          <ResponsiveContainer width="100%" height={60 + rows.length * 50} initialDimension={{ width: 600, height: 200 }}>
            <BarChart data={rows} layout="vertical" margin={{ left: 40, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" unit=" %" />
              <YAxis type="category" dataKey="label" width={190} />
              <ReferenceLine x={0} stroke="#1d232b" />
              <Tooltip formatter={(v) => `${Number(v).toFixed(1)} %`} />
              <Bar dataKey="lift" name="Lift" fill="#0b5cad" barSize={18} isAnimationActive={false}>
                <ErrorBar dataKey="interval" width={6} strokeWidth={2} stroke="#1d232b" direction="x" />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <p className="muted">No lift yet: an arm has no data in this window.</p>
      )}
      <table className="data">
        <thead>
          <tr><th scope="col">Metric</th><th scope="col">Lift</th><th scope="col">95 % interval</th><th scope="col">p-value</th></tr>
        </thead>
        <tbody>
          {metrics.map((metric) => {
            const c = comparison[metric];
            return (
              <tr key={metric} data-testid={`lift-${metric}`}>
                <th scope="row">{metricLabel(metric)}</th>
                <td>{signedPct(c.lift)}</td>
                <td>{c.ci_low === null || c.ci_high === null ? "–" : `${signedPct(c.ci_low)} to ${signedPct(c.ci_high)}`}</td>
                <td>{pValue(c.p_value)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted method">Method: {method}</p>
    </section>
  );
}
