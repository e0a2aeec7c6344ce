import type { Analytics, ArmStats } from "../api/types";

const arm = (over: Partial<ArmStats>): ArmStats => ({
  users: 0, searches: 0, impressions: 0, clicks: 0, add_to_cart: 0, ctr: null, conversion: null,
  ctr_per_impression: null, zero_result_rate: null, mrr: null, ...over,
});

/** A readout with traffic in both arms, as the server would send it. */
export function sampleAnalytics(over: Partial<Analytics> = {}): Analytics {
  return {
    days: 30,
    since: "2026-10-31",
    until: "2026-11-29",
    method: "two-proportion z-test (pooled) on searches; 95% CI on the rate ratio (delta method)",
    verdict: "personalized is better on click-through: +12.0 % (p = 0.002)",
    arms: {
      popularity: arm({ users: 1012, searches: 4100, impressions: 41000, clicks: 820, add_to_cart: 205, ctr: 0.2, conversion: 0.05, ctr_per_impression: 0.02, zero_result_rate: 0.04, mrr: 0.31 }),
      personalized: arm({ users: 988, searches: 4020, impressions: 40200, clicks: 900, add_to_cart: 241, ctr: 0.224, conversion: 0.06, ctr_per_impression: 0.0224, zero_result_rate: 0.041, mrr: 0.35 }),
    },
    comparison: {
      ctr: { lift: 0.12, ci_low: 0.04, ci_high: 0.2, p_value: 0.002 },
      conversion: { lift: 0.2, ci_low: -0.01, ci_high: 0.41, p_value: 0.06 },
      ctr_per_impression: { lift: 0.12, ci_low: 0.05, ci_high: 0.19, p_value: 0.0004 },
    },
    sample_ratio: { observed: { popularity: 0.506, personalized: 0.494 }, expected_share: { popularity: 0.5, personalized: 0.5 }, p_value: 0.59, mismatch: false },
    series: [
      { day: "2026-11-28", arm: "personalized", searches: 130, clicks: 30, add_to_cart: 8 },
      { day: "2026-11-28", arm: "popularity", searches: 140, clicks: 27, add_to_cart: 6 },
      { day: "2026-11-29", arm: "personalized", searches: 120, clicks: 28, add_to_cart: 7 },
      { day: "2026-11-29", arm: "popularity", searches: 118, clicks: 22, add_to_cart: 5 },
    ],
    positions: [
      { position: 1, arm: "personalized", impressions: 4000, clicks: 400, ctr: 0.1 },
      { position: 1, arm: "popularity", impressions: 4100, clicks: 328, ctr: 0.08 },
      { position: 2, arm: "personalized", impressions: 4000, clicks: 200, ctr: 0.05 },
      { position: 2, arm: "popularity", impressions: 4100, clicks: 205, ctr: 0.05 },
    ],
    clusters: [
      { cluster: 0, users: 640, top_categories: ["Headphones", "Laptops"] },
      { cluster: 1, users: 360, top_categories: ["Running shoes"] },
    ],
    top_queries: [{ query: "wireless headphones", count: 412 }],
    zero_result_queries: [{ query: "flux capacitor", count: 17 }],
    lowest_ctr_queries: [{ query: "cable", searches: 40, clicks: 1, ctr: 0.025 }],
    ...over,
  };
}

/** An empty window: no searches in either arm, so nothing to compare. */
export function emptyAnalytics(): Analytics {
  const none = { lift: null, ci_low: null, ci_high: null, p_value: null };
  return sampleAnalytics({
    verdict: "not enough data yet: each arm needs at least 1000 searches",
    arms: { popularity: arm({}), personalized: arm({}) },
    comparison: { ctr: none, conversion: none, ctr_per_impression: none },
    sample_ratio: { observed: { popularity: 0, personalized: 0 }, expected_share: { popularity: 0.5, personalized: 0.5 }, p_value: null, mismatch: false },
    series: [], positions: [], clusters: [], top_queries: [], zero_result_queries: [], lowest_ctr_queries: [],
  });
}
