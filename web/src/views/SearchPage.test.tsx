import { fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SearchResponse } from "../api/types";
import { mockFetch } from "../test/fetchMock";
import { SearchPage } from "./SearchPage";

function response(overrides: Partial<SearchResponse> = {}): SearchResponse {
  return {
    search_id: "s-1",
    query: { text: "wireles headphones under 50", corrected: "wireless headphones under 50", interpreted: { max_price: 50, sort: null } },
    items: [
      { sku: "A", title: "Sonora headphones", description: null, category: "Headphones", brand: "Sonora", price: 23.99,
        rating: 4.5, review_count: 12, image_url: null, score: 1, position: 1,
        highlight: { title: "Sonora <mark>headphones</mark>" } },
    ],
    total: 1, page: 1, per_page: 12, pages: 1,
    facets: { category: [{ value: "Headphones", count: 1 }], brand: [{ value: "Sonora", count: 1 }], price: { min: 23.99, max: 23.99 } },
    ...overrides,
  };
}

afterEach(() => vi.unstubAllGlobals());

function renderPage(answer: SearchResponse, q = "wireles headphones under 50") {
  const calls = mockFetch((url) => (url.pathname === "/api/search" ? { body: answer } : undefined));
  const navigate = vi.fn();
  const openResult = vi.fn();
  render(<SearchPage state={{ q, page: 1 }} navigate={navigate} openResult={openResult} openRecommended={vi.fn()} recommendations={null} />);
  return { calls, navigate, openResult };
}

describe("SearchPage", () => {
  it("shows results, the correction with a way back, and the understood price as a removable chip", async () => {
    const { calls, navigate, openResult } = renderPage(response());
    const list = await screen.findByRole("list", { name: "Search results" });
    expect(list.querySelector("mark")?.textContent).toBe("headphones");
    expect(calls[0].url.searchParams.get("per_page")).toBe("12");
    expect(screen.getByText(/Showing results for/)).toHaveTextContent("wireless headphones under 50");
    fireEvent.click(screen.getByRole("button", { name: /Search instead for/ }));
    expect(navigate).toHaveBeenLastCalledWith({ q: '"wireles headphones under 50"' });
    fireEvent.click(screen.getByRole("button", { name: /Remove price/ }));
    expect(navigate).toHaveBeenLastCalledWith({ q: "wireles headphones" });
    fireEvent.click(screen.getByRole("button", { name: "Sonora headphones" }));
    expect(openResult.mock.calls[0][0].position).toBe(1);
    expect(openResult.mock.calls[0][1].search_id).toBe("s-1");
  });

  it("narrows by a facet and sorts through the URL state", async () => {
    const { navigate } = renderPage(response());
    fireEvent.click(await screen.findByRole("checkbox", { name: /Sonora/ }));
    expect(navigate).toHaveBeenLastCalledWith({ brand: "Sonora" });
    fireEvent.change(screen.getByLabelText(/Sort by/), { target: { value: "price_asc" } });
    expect(navigate).toHaveBeenLastCalledWith({ sort: "price_asc" });
  });

  it("refuses a price range whose minimum is above its maximum", async () => {
    const { navigate } = renderPage(response());
    await screen.findByRole("list", { name: "Search results" });
    fireEvent.change(screen.getByLabelText("Min"), { target: { value: "90" } });
    fireEvent.change(screen.getByLabelText("Max"), { target: { value: "10" } });
    fireEvent.click(screen.getByRole("button", { name: "Apply" }));
    expect(screen.getByText("The minimum is above the maximum.")).toBeInTheDocument();
    expect(navigate).not.toHaveBeenCalled();
  });

  it("shows an empty state when nothing matches", async () => {
    renderPage(response({ items: [], total: 0, pages: 0, query: { text: "zzz", corrected: null, interpreted: {} } }), "zzz");
    expect(await screen.findByText(/No products match/)).toBeInTheDocument();
  });
});
