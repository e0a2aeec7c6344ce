import type { SampleRatio } from "../api/types";
import { pct, pValue } from "./format";

/** Whether visitors split between the arms as configured; a mismatch makes every lift suspect. */
export function SampleRatioCheck({ check, order }: { check: SampleRatio; order: string[] }) {
  return (
    <section className={check.mismatch ? "panel srm warn" : "panel srm"} aria-labelledby="srm-title">
      <h2 id="srm-title">Sample ratio</h2>
      {check.mismatch ? (
        <p role="alert" className="srm-alert">
          Sample ratio mismatch: the arms did not get the share of visitors they should (p = {pValue(check.p_value)}).
          Assignment or logging is broken; do not trust the lift until it is fixed.
        </p>
      ) : (
        <p>The split matches the configured shares (p = {pValue(check.p_value)}).</p>
      )}
      <table className="data">
        <thead>
          <tr><th scope="col">Arm</th><th scope="col">Observed share</th><th scope="col">Expected share</th></tr>
        </thead>
        <tbody>
          {order.map((arm) => (
            <tr key={arm}>
              <th scope="row">{arm}</th>
              <td>{pct(check.observed[arm])}</td>
              <td>{pct(check.expected_share[arm])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
