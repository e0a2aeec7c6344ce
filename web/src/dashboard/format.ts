// Dashboard number formats; null means "no data for this arm" and shows as a dash.
const counts = new Intl.NumberFormat("en-US");

export const DASH = "–";

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? DASH : counts.format(value);
}

export function pct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? DASH : `${(value * 100).toFixed(digits)} %`;
}

/** A relative lift (0.05 = 5 % better) with its sign. */
export function signedPct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return DASH;
  const sign = value > 0 ? "+" : value < 0 ? "−" : "";
  return `${sign}${Math.abs(value * 100).toFixed(digits)} %`;
}

export function pValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return value < 0.001 ? "< 0.001" : value.toFixed(3);
}

export const ARM_COLORS: Record<string, string> = { popularity: "#8a6d00", personalized: "#0b5cad" };
export const ARM_ORDER = ["popularity", "personalized"];

export function armColor(arm: string): string {
  return ARM_COLORS[arm] ?? "#5b6570";
}

/** The arms in a stable order: the known ones first, then any other the server reports. */
export function armsOf(names: Iterable<string>): string[] {
  const all = new Set(names);
  return [...ARM_ORDER.filter((a) => all.has(a)), ...[...all].filter((a) => !ARM_ORDER.includes(a)).sort()];
}
