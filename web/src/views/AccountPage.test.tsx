import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AuthSession } from "../api/types";
import { SessionProvider } from "../state/session";
import { ToastProvider } from "../state/toasts";
import { mockFetch, type Route } from "../test/fetchMock";
import AccountPage from "./AccountPage";

afterEach(() => vi.unstubAllGlobals());

const user = { id: 1, username: "ada", email: "ada@example.com", is_admin: false, group: "control", created_at: "" };
const here: AuthSession = {
  id: "here", created_at: "2026-12-01T10:00:00Z", last_used_at: "2026-12-06T10:00:00Z",
  address: "203.0.113.5", user_agent: "Laptop", current: true,
};
const phone: AuthSession = { ...here, id: "phone-id", user_agent: "Phone", address: "198.51.100.7", current: false };

function shop(extra: Route): ReturnType<typeof mockFetch> {
  return mockFetch((url, init) => {
    if (url.pathname === "/api/auth/me") return { body: { user } };
    if (url.pathname === "/api/cart") return { body: { items: [], total_items: 0, total_price: 0 } };
    return extra(url, init);
  });
}

function renderPage(onGone = vi.fn()) {
  render(
    <ToastProvider>
      <SessionProvider>
        <AccountPage onGone={onGone} onLogin={vi.fn()} />
      </SessionProvider>
    </ToastProvider>,
  );
  return onGone;
}

describe("AccountPage", () => {
  it("lists the sessions and ends another one", async () => {
    let sessions = [here, phone];
    const calls = shop((url, init) => {
      if (url.pathname === "/api/auth/sessions") return { body: { sessions } };
      if (url.pathname === "/api/auth/sessions/phone-id" && init.method === "DELETE") {
        sessions = [here];
        return { status: 204 };
      }
      return undefined;
    });
    renderPage();
    const list = await screen.findByRole("list", { name: "Sessions" });
    await waitFor(() => expect(within(list).getAllByTestId("session")).toHaveLength(2));
    expect(within(list).getAllByTestId("session")[0]).toHaveTextContent("This device");
    // The current session has no end button: logging out is how it ends.
    expect(screen.getAllByRole("button", { name: /End session/ })).toHaveLength(1);
    fireEvent.click(screen.getByRole("button", { name: "End session on Phone" }));
    await waitFor(() => expect(within(list).getAllByTestId("session")).toHaveLength(1));
    expect(calls.some((c) => c.url.pathname === "/api/auth/sessions/phone-id" && c.init.method === "DELETE")).toBe(true);
  });

  it("offers the export as a download link", async () => {
    shop((url) => (url.pathname === "/api/auth/sessions" ? { body: { sessions: [here] } } : undefined));
    renderPage();
    const link = await screen.findByRole("link", { name: "Download my data" });
    expect(link).toHaveAttribute("href", "/api/account/export");
    expect(link).toHaveAttribute("download");
  });

  it("shows a wrong password next to the field and keeps the account", async () => {
    shop((url, init) => {
      if (url.pathname === "/api/auth/sessions") return { body: { sessions: [here] } };
      if (url.pathname === "/api/account" && init.method === "DELETE")
        return { status: 400, body: { error: { code: "validation_error", message: "password is not your password", details: { field: "password" } } } };
      return undefined;
    });
    const onGone = renderPage();
    fireEvent.change(await screen.findByLabelText("Password"), { target: { value: "nope nope" } });
    fireEvent.click(screen.getByRole("button", { name: "Delete my account" }));
    await waitFor(() => expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("password is not your password"));
    expect(onGone).not.toHaveBeenCalled();
  });

  it("deletes the account with the password and leaves the page", async () => {
    const calls = shop((url, init) => {
      if (url.pathname === "/api/auth/sessions") return { body: { sessions: [here] } };
      if (url.pathname === "/api/account" && init.method === "DELETE") return { status: 204 };
      return undefined;
    });
    const onGone = renderPage();
    fireEvent.change(await screen.findByLabelText("Password"), { target: { value: "a long passphrase" } });
    fireEvent.click(screen.getByRole("button", { name: "Delete my account" }));
    await waitFor(() => expect(onGone).toHaveBeenCalled());
    const deletion = calls.find((c) => c.url.pathname === "/api/account")!;
    expect(JSON.parse(String(deletion.init.body))).toEqual({ password: "a long passphrase" });
  });

  it("logs out everywhere and leaves the page", async () => {
    shop((url, init) => {
      if (url.pathname === "/api/auth/sessions") return { body: { sessions: [here, phone] } };
      if (url.pathname === "/api/auth/logout-everywhere" && init.method === "POST") return { status: 204 };
      return undefined;
    });
    const onGone = renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Log out everywhere" }));
    await waitFor(() => expect(onGone).toHaveBeenCalled());
  });
});
