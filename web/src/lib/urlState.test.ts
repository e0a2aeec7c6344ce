import { describe, expect, it } from "vitest";
import { parseState, searchParams, serializeState, toggleAttr } from "./urlState";

describe("URL state", () => {
  it("round-trips every part of the page state", () => {
    const state = {
      q: "running shoes", category: "Shoes", brand: "Stride", min_price: 20, max_price: 80,
      min_rating: 4, attrs: { color: ["Black", "Navy"], size: ["40..50"] }, sort: "price_asc" as const,
      page: 3, product: "SH-1",
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
      min_price: undefined, max_price: undefined, sort: undefined, product: undefined, attrs: undefined });
  });

  it("keeps attribute filters as repeated attr.<name> parameters", () => {
    const url = serializeState({ q: "tv", page: 1, attrs: { size: ["..40", "80.."], color: ["Black"] }, sort: "rating" });
    expect(url).toBe("?q=tv&attr.color=Black&attr.size=..40&attr.size=80..&sort=rating");
    expect(parseState("?attr.color=Black&attr.color=Black&attr.=x&attr.size=&q=tv").attrs).toEqual({ color: ["Black"] });
  });

  it("ticks and unticks one attribute value, dropping an attribute left without any", () => {
    const one = toggleAttr(undefined, "color", "Black", true);
    expect(one).toEqual({ color: ["Black"] });
    const two = toggleAttr(one, "color", "Navy", true);
    expect(two).toEqual({ color: ["Black", "Navy"] });
    expect(toggleAttr(two, "color", "Black", false)).toEqual({ color: ["Navy"] });
    expect(toggleAttr(one, "color", "Black", false)).toBeUndefined();
  });

  it("asks the API for pages of 12 and never sends the open product", () => {
    expect(searchParams({ q: "tv", page: 2, product: "X" })).toEqual({ q: "tv", page: 2, per_page: 12 });
    expect(searchParams({ q: "", page: 1, attrs: { color: ["Red", "Blue"] } })).toEqual({
      q: "", page: 1, per_page: 12, "attr.color": ["Red", "Blue"],
    });
  });
});
