import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api/client";
import { RESET_SENT } from "./accountLinks";

/** `/forgot-password`: asks for the address; the same answer whether or not an account uses it. */
export default function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<{ field: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await api.requestPasswordReset(email);
      setSent(true);
    } catch (err) {
      if (err instanceof ApiError && err.field === "email") setError({ field: true, message: err.message });
      else if (err instanceof ApiError) setError({ field: false, message: err.message });
      else setError({ field: false, message: "Something went wrong. Try again." });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="page-narrow">
      <h1>Forgot your password?</h1>
      {sent ? (
        <p role="status" data-testid="reset-sent">{RESET_SENT}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>Enter the email address of your account and we will mail you a link to choose a new password.</p>
          <div className="field">
            <label htmlFor="forgot-email">Email</label>
            <input id="forgot-email" name="email" type="email" autoComplete="email" required value={email}
              onChange={(e) => setEmail(e.target.value)} aria-invalid={!!error?.field}
              aria-describedby="forgot-email-error" />
            <p id="forgot-email-error" className="field-error">{error?.field ? error.message : ""}</p>
          </div>
          {error && !error.field && <p role="alert" className="error-box">{error.message}</p>}
          <button type="submit" className="primary" disabled={busy}>Send the link</button>
        </form>
      )}
    </main>
  );
}
