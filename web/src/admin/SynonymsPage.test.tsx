import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SearchItem, SearchResponse, Synonym, SynonymSuggestion } from "../api/types";
import { ToastProvider } from "../state/toasts";
import { mockFetch } from "../test/fetchMock";
import SynonymsPage from "./SynonymsPage";
import { splitTerms } from "./SynonymForm";

afterEach(() => vi.unstubAllGlobals());

/** A tiny server: synonyms and suggestions in memory, answering the admin routes. */
function server(synonyms: Synonym[], suggestions: SynonymSuggestion[]) {
  let next = 100;
  const made = (body: Record<string, unknown>, id: number): Synonym =>
    "terms" in body
      ? { id, kind: "multi_way", terms: body.terms as string[], from: null, to: null }
      : { id, kind: "one_way", terms: null, from: body.from as string, to: body.to as string[] };
  return mockFetch((url, init) => {
    const method = init.method ?? "GET";
    const body = init.body ? JSON.parse(String(init.body)) : {};
    const path = url.pathname;
    if (path === "/api/admin/synonyms" && method === "GET") return { body: { synonyms } };
    if (path === "/api/admin/synonyms" && method === "POST") {
      if ((body.terms ?? []).length === 1)
        return { status: 400, body: { error: { code: "validation_error", message: "at least 2 terms needed", details: { field: "terms" } } } };
      const synonym = made(body, next++);
      synonyms.push(synonym);
      return { status: 201, body: synonym };
    }
    const one = path.match(/^\/api\/admin\/synonyms\/(\d+)$/);
    if (one && method === "PUT") {
      const i = synonyms.findIndex((s) => s.id === Number(one[1]));
      synonyms[i] = made(body, Number(one[1]));
      return { body: synonyms[i] };
    }
    if (one && method === "DELETE") {
      synonyms.splice(synonyms.findIndex((s) => s.id === Number(one[1])), 1);
      return { status: 204 };
    }
    if (path === "/api/admin/synonyms/suggestions") return { body: { suggestions: suggestions.filter((s) => s.status === "pending") } };
    const decision = path.match(/^\/api\/admin\/synonyms\/suggestions\/(\d+)\/(accept|reject)$/);
    if (decision) {
      const s = suggestions.find((x) => x.id === Number(decision[1]))!;
      s.status = decision[2] === "accept" ? "accepted" : "rejected";
      if (decision[2] === "reject") return { status: 204 };
      const synonym = made({ from: s.from, to: [s.to] }, next++);
      synonyms.push(synonym);
      return { status: 201, body: synonym };
    }
    return undefined;
  });
}

const renderPage = () => render(<ToastProvider><SynonymsPage /></ToastProvider>);

describe("the synonyms page", () => {
  it("splits typed terms at commas", () => {
    expect(splitTerms(" sofa,couch , ,settee ")).toEqual(["sofa", "couch", "settee"]);
  });

  it("lists, adds multi-way and one-way synonyms, edits and deletes", async () => {
    const calls = server([{ id: 1, kind: "multi_way", terms: ["sofa", "couch"], from: null, to: null }], []);
    renderPage();
    expect(await screen.findByText("sofa ⇄ couch")).toBeInTheDocument();
    const add = screen.getByRole("form", { name: "Add a synonym" });
    await userEvent.type(within(add).getByLabelText(/Terms/), "bike, bicycle");
    await userEvent.click(within(add).getByRole("button", { name: "Add" }));
    expect(await screen.findByText("bike ⇄ bicycle")).toBeInTheDocument();
    await userEvent.click(within(add).getByLabelText("One-way"));
    await userEvent.type(within(add).getByLabelText("From"), "tv");
    await userEvent.type(within(add).getByLabelText(/To/), "television, telly");
    await userEvent.click(within(add).getByRole("button", { name: "Add" }));
    expect(await screen.findByText("tv → television, telly")).toBeInTheDocument();
    const posted = calls.filter((c) => c.init.method === "POST").map((c) => JSON.parse(String(c.init.body)));
    expect(posted).toEqual([{ terms: ["bike", "bicycle"] }, { from: "tv", to: ["television", "telly"] }]);

    await userEvent.click(screen.getByRole("button", { name: "Edit sofa ⇄ couch" }));
    const edit = screen.getByRole("form", { name: "Edit synonym 1" });
    const terms = within(edit).getByLabelText(/Terms/);
    await userEvent.clear(terms);
    await userEvent.type(terms, "sofa, couch, settee");
    await userEvent.click(within(edit).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("sofa ⇄ couch ⇄ settee")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Delete bike ⇄ bicycle" }));
    await waitFor(() => expect(screen.queryByText("bike ⇄ bicycle")).not.toBeInTheDocument());
  });

  it("shows the server's reason when a synonym is refused, and keeps what was typed", async () => {
    server([], []);
    renderPage();
    const add = await screen.findByRole("form", { name: "Add a synonym" });
    await userEvent.type(within(add).getByLabelText(/Terms/), "lonely");
    await userEvent.click(within(add).getByRole("button", { name: "Add" }));
    expect(await screen.findByText("at least 2 terms needed")).toBeInTheDocument();
    expect(within(add).getByLabelText(/Terms/)).toHaveValue("lonely");
  });

  it("accepts and rejects learned suggestions", async () => {
    const suggestions: SynonymSuggestion[] = [
      { id: 7, from: "settee", to: "sofa", support: 22, lift: 22.2, status: "pending" },
      { id: 8, from: "lamp", to: "desk", support: 3, lift: 3.1, status: "pending" },
    ];
    const calls = server([], suggestions);
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Accept settee → sofa" }));
    expect(await screen.findByText("settee → sofa")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Reject lamp → desk" }));
    expect(await screen.findByText("No suggestions waiting.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Look for new ones" }));
    await waitFor(() => expect(calls.some((c) => c.url.search === "?refresh=true")).toBe(true));
  });

  it("previews a query with and without the synonyms, marking what only a synonym found", async () => {
    const page = (skus: string[]): SearchResponse =>
      ({
        search_id: "s", query: { text: "couch", corrected: null, interpreted: {}, rules: [] },
        items: skus.map((sku, i) => ({ sku, title: `Product ${sku}`, position: i + 1, score: 1 }) as SearchItem),
        total: skus.length, page: 1, per_page: 12, pages: 1, facets: { category: [], brand: [], price: null },
      }) as SearchResponse;
    const calls = mockFetch((url) => {
      if (url.pathname === "/api/admin/synonyms") return { body: { synonyms: [] } };
      if (url.pathname === "/api/admin/synonyms/suggestions") return { body: { suggestions: [] } };
      if (url.pathname === "/api/admin/search/preview") return { body: { with: page(["COUCH-1", "SOFA-1"]), without: page(["COUCH-1"]) } };
      return undefined;
    });
    renderPage();
    const form = await screen.findByRole("search", { name: "Preview a query" });
    await userEvent.type(within(form).getByLabelText("Query"), "couch");
    await userEvent.click(within(form).getByRole("button", { name: "Preview" }));
    const withSynonyms = await screen.findByRole("region", { name: "With synonyms" });
    const [kept, found] = within(withSynonyms).getAllByRole("listitem");
    expect(kept).not.toHaveTextContent("Synonym");
    expect(found).toHaveTextContent(/^2\.Product SOFA-1/);
    expect(within(found).getByText("Synonym")).toHaveClass("tag");
    expect(within(screen.getByRole("region", { name: "Without synonyms" })).getAllByRole("listitem")).toHaveLength(1);
    const asked = calls.find((c) => c.url.pathname === "/api/admin/search/preview")!;
    expect(Object.fromEntries(asked.url.searchParams)).toEqual({ q: "couch", per_page: "12", without: "synonyms" });
  });
});
