import { describe, expect, it } from "vitest";
import { parseState, searchParams, serializeState } from "./urlState";

describe("URL state", () => {
  it("round-trips every part of the page state", () => {
    const state = {
      q: "running shoes", category: "Shoes", brand: "Stride", min_price: 20, max_price: 80,
      min_rating: 4, sort: "price_asc" as const, page: 3, product: "SH-1",
    };
    expect(parseState(serializeState(state))).toEqual(state);
  });

  it("leaves defaults out of the URL", () => {
    expect(serializeState({ q: "", page: 1 })).toBe("");
    expect(serializeState({ q: "tv", page: 1 })).toBe("?q=tv");
  });

  it("drops values a hand-edited URL gets wrong", () => {
    const state = parseState("?q=tv&sort=cheapest&page=-2&min_price=abc&max_price=-5&min_rating=4");
    expect(state).toEqual({ q: "tv", page: 1, min_rating: 4, category: undefined, brand: undefined,
      min_price: undefined, max_price: undefined, sort: undefined, product: undefined });
  });

  it("asks the API for pages of 12 and never sends the open product", () => {
    expect(searchParams({ q: "tv", page: 2, product: "X" })).toEqual({ q: "tv", page: 2, per_page: 12 });
  });
});
