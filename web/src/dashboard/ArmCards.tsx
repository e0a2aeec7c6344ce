import type { ArmStats } from "../api/types";
import { armColor, count, pct } from "./format";

export function ArmCards({ arms, order }: { arms: Record<string, ArmStats>; order: string[] }) {
  return (
    <ul className="arm-cards" aria-label="Experiment arms">
      {order.map((name) => {
        const arm = arms[name];
        return (
          <li key={name} className="card arm-card" style={{ borderTopColor: armColor(name) }} data-testid={`arm-${name}`}>
            <h3>{name}</h3>
            <dl>
              <dt>Users</dt><dd>{count(arm.users)}</dd>
              <dt>Searches</dt><dd>{count(arm.searches)}</dd>
              <dt>Click-through</dt><dd>{pct(arm.ctr)}</dd>
              <dt>Conversion</dt><dd>{pct(arm.conversion)}</dd>
              <dt>CTR per impression</dt><dd>{pct(arm.ctr_per_impression, 2)}</dd>
              <dt>Zero results</dt><dd>{pct(arm.zero_result_rate)}</dd>
              <dt>MRR</dt><dd>{arm.mrr === null ? "–" : arm.mrr.toFixed(3)}</dd>
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
