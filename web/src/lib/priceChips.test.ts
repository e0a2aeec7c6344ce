import { describe, expect, it } from "vitest";
import { withoutPricePhrase, withoutSortPhrase } from "./priceChips";

describe("removing understood phrases", () => {
  it("drops price phrases and keeps the rest", () => {
    expect(withoutPricePhrase("running shoes under 80")).toBe("running shoes");
    expect(withoutPricePhrase("tv between 200 and 500 dollars")).toBe("tv");
    expect(withoutPricePhrase("headphones over $50")).toBe("headphones");
  });

  it("drops sort phrases", () => {
    expect(withoutSortPhrase("cheapest wireless headphones")).toBe("wireless headphones");
    expect(withoutSortPhrase("best rated blender")).toBe("blender");
  });
});
