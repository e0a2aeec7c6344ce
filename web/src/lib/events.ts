import { api } from "../api/client";
import type { ShopEvent } from "../api/types";

// Events teach the ranker; a lost one must never break shopping, so failures are ignored.
export function sendEvent(event: ShopEvent): void {
  api.event(event).catch(() => undefined);
}

/** Where a product was found: a search answer (id and 1-based position) or a recommendation row. */
export interface Origin {
  search_id?: string;
  position?: number;
  query?: string;
}
