import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Synonym, SynonymSuggestion } from "../api/types";
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
});
