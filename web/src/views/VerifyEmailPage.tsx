import { useEffect, useState } from "react";
import { ApiError } from "../api/client";
import { useSession } from "../state/session";
import { tokenFromUrl, verifyOnce } from "./accountLinks";

type State = { kind: "working" } | { kind: "done"; email: string | null } | { kind: "failed"; message: string };

/** `/verify-email?token=…`: verifies on load and says how it went. */
export default function VerifyEmailPage({ onContinue }: { onContinue: () => void }) {
  const { user, setUser } = useSession();
  const [state, setState] = useState<State>({ kind: "working" });
  const token = tokenFromUrl();

  useEffect(() => {
    if (!token) {
      setState({ kind: "failed", message: "This link has no token. Open the link from the mail again." });
      return;
    }
    let live = true;
    verifyOnce(token)
      .then((r) => live && setState({ kind: "done", email: r.user.email }))
      .catch((err) => {
        const message = err instanceof ApiError && err.status === 400
          ? "This link is invalid or has expired. Ask for a new one below, or log in to do so."
          : "The address could not be verified right now. Try the link again later.";
        if (live) setState({ kind: "failed", message });
      });
    return () => {
      live = false;
    };
  }, [token]);

  // The logged-in user (if it is them) sees the change at once.
  useEffect(() => {
    if (state.kind === "done" && user && user.email === state.email && !user.email_verified) {
      setUser({ ...user, email_verified: true });
    }
  }, [state, user, setUser]);

  return (
    <main id="main" className="page-narrow">
      <h1>Email verification</h1>
      {state.kind === "working" && <p role="status">Verifying your email address…</p>}
      {state.kind === "done" && (
        <p role="status" data-testid="verified">
          Thank you: {state.email ? <strong>{state.email}</strong> : "your address"} is verified.
        </p>
      )}
      {state.kind === "failed" && <p role="alert" className="error-box">{state.message}</p>}
      {state.kind !== "working" && (
        <button type="button" className="primary" onClick={onContinue}>Continue shopping</button>
      )}
    </main>
  );
}
