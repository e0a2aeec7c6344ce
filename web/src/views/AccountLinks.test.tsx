import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { User } from "../api/types";
import { VerifyNotice } from "../components/VerifyNotice";
import { SessionProvider } from "../state/session";
import { ToastProvider } from "../state/toasts";
import { mockFetch, type Route } from "../test/fetchMock";
import { RESET_SENT } from "./accountLinks";
import ForgotPasswordPage from "./ForgotPasswordPage";
import ResetPasswordPage from "./ResetPasswordPage";
import VerifyEmailPage from "./VerifyEmailPage";

const ANN: User = {
  id: 3, username: "ann", email: "ann@example.com", email_verified: false, is_admin: false, group: "control", created_at: "",
};
const EMPTY_CART = { items: [], total_items: 0, total_price: 0 };
const error = (status: number, code: string, message: string, details: unknown = null) => ({
  status,
  body: { error: { code, message, details } },
});

function shop(routes: Route, me: User | null = null) {
  return mockFetch((url, init) => {
    if (url.pathname === "/api/auth/me") return me ? { body: { user: me } } : error(401, "not_authenticated", "no");
    if (url.pathname === "/api/cart") return { body: EMPTY_CART };
    return routes(url, init);
  });
}

function wrap(children: ReactNode) {
  return render(
    <ToastProvider>
      <SessionProvider>{children}</SessionProvider>
    </ToastProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, "", "/");
});

describe("VerifyEmailPage", () => {
  it("sends the link's token once and says the address is verified", async () => {
    window.history.replaceState(null, "", "/verify-email?token=tok-1");
    const calls = shop((url) =>
      url.pathname === "/api/auth/verify-email" ? { body: { user: { ...ANN, email_verified: true } } } : undefined,
    );
    wrap(<VerifyEmailPage onContinue={vi.fn()} />);
    expect(await screen.findByTestId("verified")).toHaveTextContent("ann@example.com is verified");
    const posts = calls.filter((c) => c.url.pathname === "/api/auth/verify-email");
    expect(posts).toHaveLength(1);
    expect(JSON.parse(String(posts[0].init.body))).toEqual({ token: "tok-1" });
  });

  it("says a bad or used link is invalid", async () => {
    window.history.replaceState(null, "", "/verify-email?token=used-one");
    shop((url) => (url.pathname === "/api/auth/verify-email" ? error(400, "invalid_token", "bad", { field: "token" }) : undefined));
    wrap(<VerifyEmailPage onContinue={vi.fn()} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("invalid or has expired");
  });
});

describe("ForgotPasswordPage", () => {
  it("shows the same message whatever the server knows", async () => {
    const calls = shop((url) =>
      url.pathname === "/api/auth/password-reset" ? { status: 202, body: { status: "accepted", message: "x" } } : undefined,
    );
    wrap(<ForgotPasswordPage />);
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "who@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Send the link" }));
    expect(await screen.findByTestId("reset-sent")).toHaveTextContent(RESET_SENT);
    const post = calls.find((c) => c.url.pathname === "/api/auth/password-reset")!;
    expect(JSON.parse(String(post.init.body))).toEqual({ email: "who@example.com" });
  });

  it("shows a malformed address next to the field and a limit as an alert", async () => {
    let answer = error(400, "validation_error", "email is not a valid email address", { field: "email" });
    shop((url) => (url.pathname === "/api/auth/password-reset" ? answer : undefined));
    wrap(<ForgotPasswordPage />);
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "nope" } });
    fireEvent.click(screen.getByRole("button", { name: "Send the link" }));
    await waitFor(() => expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("email is not a valid email address");
    answer = error(429, "rate_limited", "too many password reset requests; try again later");
    fireEvent.click(screen.getByRole("button", { name: "Send the link" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("too many password reset requests");
  });
});

describe("ResetPasswordPage", () => {
  it("shows a refused password next to the field, then confirms and offers to log in", async () => {
    window.history.replaceState(null, "", "/reset-password?token=reset-1");
    let weak = true;
    const calls = shop((url) => {
      if (url.pathname !== "/api/auth/password-reset/confirm") return undefined;
      return weak
        ? error(400, "validation_error", "new_password must be at least 8 characters long", { field: "new_password" })
        : { status: 204 };
    });
    const onLogin = vi.fn();
    wrap(<ResetPasswordPage onLogin={onLogin} onForgot={vi.fn()} />);
    fireEvent.change(screen.getByLabelText("New password"), { target: { value: "short" } });
    fireEvent.click(screen.getByRole("button", { name: "Set the new password" }));
    await waitFor(() =>
      expect(screen.getByLabelText("New password")).toHaveAccessibleDescription("new_password must be at least 8 characters long"),
    );
    weak = false;
    fireEvent.change(screen.getByLabelText("New password"), { target: { value: "a much longer secret" } });
    fireEvent.click(screen.getByRole("button", { name: "Set the new password" }));
    expect(await screen.findByTestId("reset-done")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(onLogin).toHaveBeenCalled();
    const last = calls.filter((c) => c.url.pathname === "/api/auth/password-reset/confirm").at(-1)!;
    expect(JSON.parse(String(last.init.body))).toEqual({ token: "reset-1", new_password: "a much longer secret" });
  });

  it("offers a new link when the token is no good", async () => {
    window.history.replaceState(null, "", "/reset-password?token=old");
    shop((url) =>
      url.pathname === "/api/auth/password-reset/confirm" ? error(400, "invalid_token", "bad", { field: "token" }) : undefined,
    );
    const onForgot = vi.fn();
    wrap(<ResetPasswordPage onLogin={vi.fn()} onForgot={onForgot} />);
    fireEvent.change(screen.getByLabelText("New password"), { target: { value: "a much longer secret" } });
    fireEvent.click(screen.getByRole("button", { name: "Set the new password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("invalid, used or expired");
    fireEvent.click(screen.getByRole("button", { name: "Ask for a new link" }));
    expect(onForgot).toHaveBeenCalled();
  });
});

describe("VerifyNotice", () => {
  it("reminds an unverified user and resends the link", async () => {
    const calls = shop((url) =>
      url.pathname === "/api/auth/verify-email/resend" ? { status: 202, body: { status: "accepted", message: "" } } : undefined,
      ANN,
    );
    wrap(<VerifyNotice />);
    const notice = await screen.findByRole("region", { name: "Email verification" });
    expect(notice).toHaveTextContent("ann@example.com");
    fireEvent.click(screen.getByRole("button", { name: "Send a new link" }));
    expect(await screen.findByText("A new link is on its way to ann@example.com.", { exact: false })).toHaveAttribute(
      "role",
      "status",
    );
    expect(calls.some((c) => c.url.pathname === "/api/auth/verify-email/resend")).toBe(true);
  });

  it("shows nothing to a verified user or one without an email", async () => {
    for (const user of [{ ...ANN, email_verified: true }, { ...ANN, email: null }]) {
      const calls = shop(() => undefined, user);
      const { unmount } = wrap(<VerifyNotice />);
      await waitFor(() => expect(calls.some((c) => c.url.pathname === "/api/cart")).toBe(true));
      expect(screen.queryByRole("region", { name: "Email verification" })).toBeNull();
      unmount();
      vi.unstubAllGlobals();
    }
  });
});
