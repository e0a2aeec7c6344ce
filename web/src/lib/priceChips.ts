// The server reads price and sort phrases out of the query ("under 50", "cheapest"). Removing
// such a chip drops the phrase from the query text; an explicit parameter then wins anyway.
const PRICE_PHRASES = [
  /\b(?:between|from)\s+\$?\d+(?:\.\d+)?\s*(?:and|to|-)\s*\$?\d+(?:\.\d+)?\s*(?:dollars|usd|\$)?/gi,
  /\b(?:under|below|less than|cheaper than|up to|max(?:imum)?|at most)\s+\$?\d+(?:\.\d+)?\s*(?:dollars|usd|\$)?/gi,
  /\b(?:over|above|more than|at least|min(?:imum)?|from)\s+\$?\d+(?:\.\d+)?\s*(?:dollars|usd|\$)?/gi,
  /\$?\d+(?:\.\d+)?\s*(?:-|to)\s*\$?\d+(?:\.\d+)?\s*(?:dollars|usd|\$)/gi,
];
const SORT_PHRASES = /\b(?:cheapest|cheap|lowest price|least expensive|most expensive|priciest|best rated|top rated|highest rated|most popular|best ?selling|newest|latest)\b/gi;

function tidy(text: string): string {
  return text.replace(/\s{2,}/g, " ").trim();
}

export function withoutPricePhrase(q: string): string {
  let out = q;
  for (const phrase of PRICE_PHRASES) out = out.replace(phrase, " ");
  return tidy(out);
}

export function withoutSortPhrase(q: string): string {
  return tidy(q.replace(SORT_PHRASES, " "));
}
