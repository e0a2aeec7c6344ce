import { render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { User } from "../api/types";
import { SessionProvider } from "../state/session";
import { ToastProvider } from "../state/toasts";
import { sampleAnalytics } from "../test/analyticsSample";
import { mockFetch } from "../test/fetchMock";

beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});
afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, "", "/");
});

const user = (is_admin: boolean): User => ({ id: 1, username: is_admin ? "boss" : "ada", email: null, email_verified: false, is_admin, group: "personalized", created_at: "" });
const EMPTY_SEARCH = { search_id: "s", query: { text: "", corrected: null, interpreted: {} }, items: [], total: 0, page: 1, per_page: 12, pages: 0, facets: { category: [], brand: [], price: { min: null, max: null } } };

function openDashboard(me: User | null, path = "/dashboard") {
  window.history.replaceState(null, "", path);
  const calls = mockFetch((url) => {
    switch (url.pathname) {
      case "/api/auth/me":
        return me ? { body: { user: me } } : { status: 401, body: { error: { code: "not_authenticated", message: "log in", details: null } } };
      case "/api/cart":
        return { body: { items: [], total_items: 0, total_price: 0 } };
      case "/api/recommendations":
        return { body: { recently_viewed: [], recommended: [] } };
      case "/api/search":
        return { body: EMPTY_SEARCH };
      case "/api/analytics":
        return { body: sampleAnalytics() };
      case "/api/admin/rules":
        return { body: { rules: [] } };
    }
    return undefined;
  });
  render(<ToastProvider><SessionProvider><App /></SessionProvider></ToastProvider>);
  return calls;
}

describe("the /dashboard route", () => {
  it("shows an admin the dashboard and the nav link", async () => {
    openDashboard(user(true));
    // The lazy chunk (recharts) takes a while to transform on first import.
    expect(await screen.findByTestId("verdict", {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Dashboard" })).toHaveAttribute("aria-current", "page");
  });

  it("tells a logged-in shopper it is for admins, without asking the server or showing the link", async () => {
    const calls = openDashboard(user(false));
    expect(await screen.findByRole("heading", { name: "Admins only" })).toBeInTheDocument();
    expect(screen.getByText(/not an administrator/)).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Dashboard" })).not.toBeInTheDocument();
    expect(calls.some((c) => c.url.pathname === "/api/analytics")).toBe(false);
  });

  it("asks an anonymous visitor to log in as an admin", async () => {
    openDashboard(null);
    expect(await screen.findByRole("heading", { name: "Admins only" })).toBeInTheDocument();
    expect(screen.getByText(/Log in with an administrator account/)).toBeInTheDocument();
  });

  it("opens the rules page for an admin from its own path, its nav link marked", async () => {
    openDashboard(user(true), "/rules");
    expect(await screen.findByRole("heading", { name: "Rules", level: 1 }, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Rules" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("link", { name: "Synonyms" })).not.toHaveAttribute("aria-current");
  });

  it("tells a shopper the rules page is for admins", async () => {
    openDashboard(user(false), "/rules");
    expect(await screen.findByText(/The rules page is for the shop's administrators/)).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Rules" })).not.toBeInTheDocument();
  });
});
