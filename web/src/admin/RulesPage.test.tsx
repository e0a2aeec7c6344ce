import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client";
import type { Rule, SearchItem, SearchResponse } from "../api/types";
import { ToastProvider } from "../state/toasts";
import { mockFetch } from "../test/fetchMock";
import RulesPage from "./RulesPage";
import { fieldOf, ruleInput, typedValue } from "./RuleForm";

afterEach(() => vi.unstubAllGlobals());

const item = (sku: string, position: number, pinned = false): SearchItem =>
  ({ sku, title: `Product ${sku}`, position, score: 1, pinned }) as SearchItem;

const result = (items: SearchItem[], rules: string[]): SearchResponse =>
  ({
    search_id: "s", query: { text: "mug", corrected: null, interpreted: {}, rules }, items,
    total: items.length, page: 1, per_page: 12, pages: 1, facets: { category: [], brand: [], price: null },
  }) as SearchResponse;

const refusal = (field: string, message: string) => ({
  status: 400,
  body: { error: { code: "invalid_value", message, details: { field } } },
});

/** Rules in memory behind the admin routes; the preview pins the first pin and hides the hides. */
function server(rules: Rule[]) {
  let next = 10;
  return mockFetch((url, init) => {
    const method = init.method ?? "GET";
    const body = init.body ? JSON.parse(String(init.body)) : {};
    if (url.pathname === "/api/admin/rules" && method === "GET") return { body: { rules } };
    if (url.pathname === "/api/admin/rules" && method === "POST") {
      const positions = body.pin.map((p: { position: number }) => p.position);
      if (new Set(positions).size < positions.length) return refusal("pin", "each pin has its own sku and position");
      if ((body.query ?? body.contains ?? body.category) === "") return refusal("query", "a term is 1 to 100 characters");
      const rule = { ...body, id: next, name: body.name || `rule ${next}` } as Rule;
      next += 1;
      rules.push(rule);
      return { status: 201, body: rule };
    }
    const one = url.pathname.match(/^\/api\/admin\/rules\/(\d+)$/);
    if (one && method === "PUT") {
      const i = rules.findIndex((r) => r.id === Number(one[1]));
      rules[i] = { ...body, id: rules[i].id, name: body.name || `rule ${rules[i].id}` };
      return { body: rules[i] };
    }
    if (one && method === "DELETE") {
      rules.splice(rules.findIndex((r) => r.id === Number(one[1])), 1);
      return { status: 204 };
    }
    if (url.pathname === "/api/admin/search/preview") {
      const ranked = [item("A", 1), item("B", 2), item("C", 3)];
      const live = rules.filter((r) => r.query === url.searchParams.get("q"));
      if (live.length === 0) return { body: { with: result(ranked, []), without: result(ranked, []) } };
      const hidden = new Set(live.flatMap((r) => r.hide));
      const pinned = live.flatMap((r) => r.pin.map((p) => p.sku));
      const rest = ranked.filter((i) => !hidden.has(i.sku) && !pinned.includes(i.sku));
      const shown = [...pinned.map((s) => item(s, 0, true)), ...rest].map((i, n) => ({ ...i, position: n + 1 }));
      return { body: { with: result(shown, live.map((r) => r.name)), without: result(ranked, []) } };
    }
    return undefined;
  });
}

const renderPage = () => render(<ToastProvider><RulesPage /></ToastProvider>);

describe("the rules page", () => {
  it("builds the API's rule from the form's text", () => {
    const pins = [{ sku: " P-1 ", position: "1" }, { sku: "", position: "2" }];
    const boost = { brand: "Acme", category: "", attribute: "size", value: "42", min_price: "10", max_price: "", weight: "-2" };
    expect(ruleInput("", "contains", "rain jacket", pins, "X-1, X-2", [boost], "", "")).toEqual({
      name: "", contains: "rain jacket", pin: [{ sku: "P-1", position: 1 }], hide: ["X-1", "X-2"],
      boost: [{ filter: { brand: "Acme", attribute: { name: "size", value: 42 }, min_price: 10 }, weight: -2 }],
      starts_at: null, ends_at: null,
    });
    expect([typedValue("red"), typedValue("true"), typedValue("2.5")]).toEqual(["red", true, 2.5]);
    expect(fieldOf(new ApiError(400, "x", "m", { field: "contains" }))).toBe("trigger");
    expect(fieldOf(new ApiError(400, "x", "m", { field: "ends_at" }))).toBe("ends_at");
    expect(fieldOf(new ApiError(400, "x", "m", null))).toBe("form");
  });

  it("adds a rule, previews it, edits and deletes it", async () => {
    const calls = server([]);
    renderPage();
    expect(await screen.findByText("No rules yet.")).toBeInTheDocument();
    const add = screen.getByRole("form", { name: "Add a rule" });
    await userEvent.type(within(add).getByLabelText("Name (optional)"), "mug season");
    await userEvent.type(within(add).getByLabelText("Query"), "mug");
    await userEvent.type(within(add).getByLabelText("Pinned SKU"), "C");
    await userEvent.type(within(add).getByLabelText(/Hidden SKUs/), "A");
    await userEvent.click(within(add).getByRole("button", { name: "Add a boost" }));
    await userEvent.type(within(add).getByLabelText("Brand"), "Potter");
    await userEvent.click(within(add).getByRole("button", { name: "Add rule" }));
    const listed = await screen.findByTestId("rule-10");
    expect(listed).toHaveTextContent("mug season: when the query is “mug”, pin C at 1; hide A; boost brand Potter (1)");
    const posted = calls.filter((c) => c.init.method === "POST").map((c) => JSON.parse(String(c.init.body)));
    expect(posted[0]).toMatchObject({ name: "mug season", query: "mug", pin: [{ sku: "C", position: 1 }], hide: ["A"] });

    const preview = screen.getByRole("search", { name: "Preview a query" });
    await userEvent.type(within(preview).getByLabelText("Query"), "mug");
    await userEvent.click(within(preview).getByRole("button", { name: "Preview" }));
    const withRules = await screen.findByRole("region", { name: "With rules" });
    const withoutRules = screen.getByRole("region", { name: "Without rules" });
    const first = within(withRules).getAllByRole("listitem")[0];
    expect(first).toHaveTextContent(/^1\.Product C/);
    expect(within(first).getByText("Pinned")).toBeInTheDocument();
    expect(within(withRules).getByText("Rules applied: mug season")).toBeInTheDocument();
    expect(within(withoutRules).getByLabelText("Product A (hidden)").tagName).toBe("S");
    expect(within(withoutRules).queryByText("Pinned")).not.toBeInTheDocument();
    const asked = calls.find((c) => c.url.pathname === "/api/admin/search/preview")!;
    expect(asked.url.searchParams.get("without")).toBe("rules");

    await userEvent.click(screen.getByRole("button", { name: "Edit mug season" }));
    const edit = screen.getByRole("form", { name: "Edit rule 10" });
    expect(within(edit).getByLabelText("Pinned SKU")).toHaveValue("C");
    await userEvent.click(within(edit).getByLabelText("Query contains"));
    await userEvent.clear(within(edit).getByLabelText("Phrase"));
    await userEvent.type(within(edit).getByLabelText("Phrase"), "tea mug");
    await userEvent.click(within(edit).getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/when the query contains “tea mug”/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Delete mug season" }));
    expect(await screen.findByText("No rules yet.")).toBeInTheDocument();
  }, 30_000); // much typing: slow on a loaded machine

  it("shows the server's refusal beside the field it names, keeping what was typed", async () => {
    server([]);
    renderPage();
    const add = await screen.findByRole("form", { name: "Add a rule" });
    await userEvent.type(within(add).getByLabelText("Pinned SKU"), "C");
    await userEvent.click(within(add).getByRole("button", { name: "Add rule" }));
    const trigger = await within(add).findByText("a term is 1 to 100 characters");
    expect(within(add).getByLabelText("Query")).toHaveAccessibleDescription("a term is 1 to 100 characters");
    expect(trigger).toHaveAttribute("role", "alert");

    await userEvent.type(within(add).getByLabelText("Query"), "mug");
    await userEvent.click(within(add).getByRole("button", { name: "Add a pin" }));
    await userEvent.type(within(add).getAllByLabelText("Pinned SKU")[1], "B");
    const position = within(add).getAllByLabelText("Position")[1];
    await userEvent.clear(position);
    await userEvent.type(position, "1");
    await userEvent.click(within(add).getByRole("button", { name: "Add rule" }));
    expect(await within(add).findByText("each pin has its own sku and position")).toBeInTheDocument();
    expect(within(add).queryByText("a term is 1 to 100 characters")).not.toBeInTheDocument();
    expect(within(add).getAllByLabelText("Pinned SKU")[0]).toHaveValue("C");
    await waitFor(() => expect(screen.getByText("No rules yet.")).toBeInTheDocument());
  }, 30_000);
});
