import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../test/fetchMock";
import { SearchBox } from "./SearchBox";

const SUGGESTIONS = [
  { text: "wireless headphones", kind: "query" },
  { text: "Headphones", kind: "category" },
];

afterEach(() => vi.unstubAllGlobals());

async function typed(text: string) {
  const calls = mockFetch((url) => (url.pathname === "/api/suggest" ? { body: { suggestions: SUGGESTIONS } } : undefined));
  const onSearch = vi.fn();
  const onCategory = vi.fn();
  render(<SearchBox initial="" onSearch={onSearch} onCategory={onCategory} debounceMs={5} />);
  const box = screen.getByRole("combobox", { name: "Search products" });
  for (let i = 1; i <= text.length; i++) fireEvent.change(box, { target: { value: text.slice(0, i) } });
  await screen.findByRole("option", { name: /wireless headphones/ });
  return { box, onSearch, onCategory, calls };
}

describe("SearchBox", () => {
  it("asks for suggestions once typing pauses", async () => {
    const { calls, box } = await typed("wirel");
    expect(calls).toHaveLength(1);
    expect(calls[0].url.searchParams.get("q")).toBe("wirel");
    expect(box).toHaveAttribute("aria-expanded", "true");
  });

  it("moves with the arrow keys and picks with enter", async () => {
    const { box, onSearch } = await typed("wirel");
    fireEvent.keyDown(box, { key: "ArrowDown" });
    const first = screen.getByRole("option", { name: /wireless headphones/ });
    expect(first).toHaveAttribute("aria-selected", "true");
    expect(box).toHaveAttribute("aria-activedescendant", first.id);
    fireEvent.keyDown(box, { key: "ArrowUp" });
    fireEvent.keyDown(box, { key: "ArrowUp" });
    expect(first).toHaveAttribute("aria-selected", "true");
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSearch).toHaveBeenCalledWith("wireless headphones");
  });

  it("picks a category suggestion as a filter", async () => {
    const { box, onCategory, onSearch } = await typed("head");
    fireEvent.keyDown(box, { key: "ArrowDown" });
    fireEvent.keyDown(box, { key: "ArrowDown" });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onCategory).toHaveBeenCalledWith("Headphones");
    expect(onSearch).not.toHaveBeenCalled();
  });

  it("closes on escape and submits the typed text", async () => {
    const { box, onSearch } = await typed("wirel");
    fireEvent.keyDown(box, { key: "Escape" });
    expect(box).toHaveAttribute("aria-expanded", "false");
    await act(async () => {
      fireEvent.submit(box.closest("form")!);
    });
    expect(onSearch).toHaveBeenCalledWith("wirel");
  });
});
