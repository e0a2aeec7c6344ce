import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Analytics } from "../api/types";
import { armColor } from "./format";

const METRICS = [
  { key: "searches", label: "searches", dash: undefined },
  { key: "clicks", label: "clicks", dash: "6 3" },
  { key: "add_to_cart", label: "add-to-carts", dash: "2 3" },
] as const;

type Row = Record<string, string | number>;

/** One row per day with `<arm>_<metric>` columns, the shape a recharts line chart wants. */
export function pivotSeries(series: Analytics["series"]): Row[] {
  const days = new Map<string, Row>();
  for (const point of series) {
    const row = days.get(point.day) ?? { day: point.day };
    for (const m of METRICS) row[`${point.arm}_${m.key}`] = point[m.key];
    days.set(point.day, row);
  }
  return [...days.values()].sort((a, b) => String(a.day).localeCompare(String(b.day)));
}

export function SeriesChart({ series, order }: { series: Analytics["series"]; order: string[] }) {
  const rows = pivotSeries(series);
  return (
    <section className="panel wide" aria-labelledby="series-title">
      <h2 id="series-title">Searches, clicks and add-to-carts per day</h2>
      {rows.length === 0 ? (
        <p className="muted">No traffic in this window yet.</p>
      ) : (
        <div className="chart" data-testid="series-chart">
          <ResponsiveContainer width="100%" height={300} initialDimension={{ width: 800, height: 300 }}>
            <LineChart data={rows} margin={{ right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              {order.flatMap((arm) =>
                METRICS.map((m) => (
                  <Line
                    key={`${arm}_${m.key}`}
                    dataKey={`${arm}_${m.key}`}
                    name={`${arm} ${m.label}`}
                    stroke={armColor(arm)}
                    strokeDasharray={m.dash}
                    dot={false}
                    connectNulls
                    isAnimationActive={false}
                  />
                )),
              )}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
