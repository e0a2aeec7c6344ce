import type { Interpretation } from "../api/types";
import { formatPrice } from "../lib/format";

const SORT_LABELS: Record<string, string> = {
  relevance: "Relevance",
  price_asc: "Price: low to high",
  price_desc: "Price: high to low",
  rating: "Best rated",
  popularity: "Most popular",
  newest: "Newest",
};

export function sortLabel(sort: string): string {
  return SORT_LABELS[sort] ?? sort;
}

export interface ChipActions {
  removePrice: () => void;
  removeSort: () => void;
}

/** What the engine understood from the words of the query, each removable. */
export function InterpretedChips({ interpreted, actions }: { interpreted: Interpretation; actions: ChipActions }) {
  const { min_price: lo, max_price: hi, sort, category } = interpreted;
  const hasPrice = lo != null || hi != null;
  if (!hasPrice && !sort && !category) return null;
  const price =
    lo != null && hi != null ? `${formatPrice(lo)} – ${formatPrice(hi)}` : lo != null ? `over ${formatPrice(lo)}` : `under ${formatPrice(hi)}`;
  return (
    <ul className="chips" aria-label="Understood from your search">
      {category && <li className="chip">Category: {category}</li>}
      {hasPrice && (
        <li className="chip">
          Price {price}
          <button type="button" className="icon" aria-label={`Remove price ${price}`} onClick={actions.removePrice}>
            ×
          </button>
        </li>
      )}
      {sort && (
        <li className="chip">
          Sorted: {sortLabel(sort)}
          <button type="button" className="icon" aria-label={`Remove sort ${sortLabel(sort)}`} onClick={actions.removeSort}>
            ×
          </button>
        </li>
      )}
    </ul>
  );
}
