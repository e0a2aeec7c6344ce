import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Analytics } from "../api/types";
import { armColor } from "./format";

/** Click-through by result position, one bar per arm: how much each arm's top ranks earn. */
export function PositionChart({ positions, order }: { positions: Analytics["positions"]; order: string[] }) {
  const byPosition = new Map<number, Record<string, number>>();
  for (const p of positions) {
    const row = byPosition.get(p.position) ?? { position: p.position };
    if (p.ctr !== null) row[p.arm] = p.ctr * 100;
    byPosition.set(p.position, row);
  }
  const rows = [...byPosition.values()].sort((a, b) => a.position - b.position);
  return (
    <section className="panel wide" aria-labelledby="positions-title">
      <h2 id="positions-title">Click-through by position</h2>
      {rows.length === 0 ? (
        <p className="muted">No impressions in this window yet.</p>
      ) : (
        <div className="chart" data-testid="position-chart">
          <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 800, height: 260 }}>
            <BarChart data={rows} margin={{ right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="position" />
              <YAxis unit=" %" />
              <Tooltip formatter={(v) => `${Number(v).toFixed(2)} %`} labelFormatter={(p) => `Position ${p}`} />
              <Legend />
              {order.map((arm) => (
                <Bar key={arm} dataKey={arm} name={arm} fill={armColor(arm)} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
