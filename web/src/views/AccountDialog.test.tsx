import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SessionProvider } from "../state/session";
import { ToastProvider } from "../state/toasts";
import { mockFetch } from "../test/fetchMock";
import AccountDialog from "./AccountDialog";

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
});
afterEach(() => vi.unstubAllGlobals());

function renderDialog(onClose = vi.fn()) {
  render(
    <ToastProvider>
      <SessionProvider>
        <AccountDialog initialMode="signup" onClose={onClose} />
      </SessionProvider>
    </ToastProvider>,
  );
  return onClose;
}

describe("AccountDialog", () => {
  it("shows the API's error next to the field it names", async () => {
    mockFetch((url) => {
      if (url.pathname === "/api/auth/me") return { status: 401, body: { error: { code: "not_authenticated", message: "no", details: null } } };
      if (url.pathname === "/api/auth/signup")
        return { status: 409, body: { error: { code: "username_taken", message: "that username is taken", details: { field: "username" } } } };
      return undefined;
    });
    const onClose = renderDialog();
    fireEvent.change(screen.getByLabelText("Username"), { target: { value: "ada" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "a long passphrase" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign up" }));
    await waitFor(() => expect(screen.getByLabelText("Username")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByLabelText("Username")).toHaveAccessibleDescription("that username is taken");
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "false");
    expect(onClose).not.toHaveBeenCalled();
  });

  it("logs the new user in and closes", async () => {
    const user = { id: 1, username: "ada", email: null, email_verified: false, is_admin: false, group: "control", created_at: "" };
    const calls = mockFetch((url) => {
      if (url.pathname === "/api/auth/me") return { status: 401, body: {} };
      if (url.pathname === "/api/auth/signup") return { status: 201, body: { user, token: "t" } };
      if (url.pathname === "/api/cart") return { body: { items: [], total_items: 0, total_price: 0 } };
      return undefined;
    });
    const onClose = renderDialog();
    fireEvent.change(screen.getByLabelText("Username"), { target: { value: "ada" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "a long passphrase" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign up" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const signup = calls.find((c) => c.url.pathname === "/api/auth/signup")!;
    expect(JSON.parse(String(signup.init.body))).toEqual({ username: "ada", password: "a long passphrase" });
  });
});

describe("AccountDialog's login form", () => {
  it("leads to the forgotten-password page", () => {
    mockFetch((url) => (url.pathname === "/api/auth/me" ? { status: 401, body: {} } : undefined));
    const onClose = vi.fn();
    const onForgot = vi.fn();
    render(
      <ToastProvider>
        <SessionProvider>
          <AccountDialog initialMode="login" onClose={onClose} onForgot={onForgot} />
        </SessionProvider>
      </ToastProvider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Forgot password?" }));
    expect(onClose).toHaveBeenCalled();
    expect(onForgot).toHaveBeenCalled();
  });
});
