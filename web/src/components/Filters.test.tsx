import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { SearchResponse } from "../api/types";
import { Filters } from "./Filters";

function result(attributes: Record<string, { value: string; count: number }[]>): SearchResponse {
  return {
    search_id: "s", query: { text: "", corrected: null, interpreted: { category: null, min_price: null, max_price: null, sort: null } },
    items: [], total: 10, page: 1, per_page: 12, pages: 1,
    facets: { category: [], brand: [], price: null, attributes },
  } as SearchResponse;
}

const ATTRIBUTES = {
  color: [{ value: "Black", count: 6 }, { value: "Navy", count: 4 }],
  screen_size_in: [{ value: "..40", count: 2 }, { value: "40..50", count: 5 }, { value: "80..", count: 3 }],
};

describe("attribute facets in the filter panel", () => {
  it("shows text values and range buckets as checkboxes with their counts", () => {
    render(<Filters state={{ q: "", page: 1 }} result={result(ATTRIBUTES)} onChange={vi.fn()} />);
    const colors = screen.getByRole("group", { name: "Color" });
    expect(within(colors).getByRole("checkbox", { name: /Black \(6\)/ })).not.toBeChecked();
    const sizes = screen.getByRole("group", { name: "Screen size in" });
    expect(within(sizes).getAllByRole("checkbox").map((c) => c.parentElement?.textContent?.trim())).toEqual([
      "under 40 (2)", "40 – 50 (5)", "80 and up (3)",
    ]);
  });

  it("ticks a value into the attribute's list and unticks it out", () => {
    const onChange = vi.fn();
    const state = { q: "", page: 1, attrs: { color: ["Black"] } };
    render(<Filters state={state} result={result(ATTRIBUTES)} onChange={onChange} />);
    expect(screen.getByRole("checkbox", { name: /Black/ })).toBeChecked();
    fireEvent.click(screen.getByRole("checkbox", { name: /Navy/ }));
    expect(onChange).toHaveBeenLastCalledWith({ attrs: { color: ["Black", "Navy"] } });
    fireEvent.click(screen.getByRole("checkbox", { name: /Black/ }));
    expect(onChange).toHaveBeenLastCalledWith({ attrs: undefined });
    fireEvent.click(screen.getByRole("checkbox", { name: /40 – 50/ }));
    expect(onChange).toHaveBeenLastCalledWith({ attrs: { color: ["Black"], screen_size_in: ["40..50"] } });
  });

  it("keeps a ticked value the result no longer lists, so it can be unticked", () => {
    const onChange = vi.fn();
    render(<Filters state={{ q: "", page: 1, attrs: { seats: ["3"] } }} result={result({})} onChange={onChange} />);
    const seats = screen.getByRole("group", { name: "Seats" });
    fireEvent.click(within(seats).getByRole("checkbox", { name: "3" }));
    expect(onChange).toHaveBeenLastCalledWith({ attrs: undefined });
  });
});
