import type { SearchItem } from "../api/types";
import { formatPrice } from "../lib/format";
import { Highlighted } from "../lib/highlight";
import { Stars } from "./Stars";

export function ResultCard({ item, onOpen }: { item: SearchItem; onOpen: (item: SearchItem) => void }) {
  return (
    <li className="card" data-sku={item.sku}>
      <button type="button" className="card-open" onClick={() => onOpen(item)}>
        <span className="card-title">
          <Highlighted html={item.highlight?.title} fallback={item.title} />
        </span>
      </button>
      {item.brand && <span className="brand">{item.brand}</span>}
      <span className="price">{formatPrice(item.price)}</span>
      <span className="rating">
        <Stars rating={item.rating} /> <span className="muted">({item.review_count ?? 0})</span>
      </span>
    </li>
  );
}

export function CardSkeletons({ count = 6 }: { count?: number }) {
  return (
    <ul className="grid" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <li key={i} className="card skeleton">
          <span className="bone wide" />
          <span className="bone" />
          <span className="bone short" />
        </li>
      ))}
    </ul>
  );
}
