import { useState, type FormEvent } from "react";
import { api, ApiError } from "../api/client";
import { useSession } from "../state/session";
import { tokenFromUrl } from "./accountLinks";

/** `/reset-password?token=…`: a new password; then every session has ended, so log in again. */
export default function ResetPasswordPage({ onLogin, onForgot }: { onLogin: () => void; onForgot: () => void }) {
  const { setUser } = useSession();
  const token = tokenFromUrl();
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const [fieldError, setFieldError] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFieldError("");
    setError("");
    setBusy(true);
    try {
      await api.confirmPasswordReset(token, password);
      setUser(null); // every session of the account ended, this browser's too if it was theirs
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.field === "new_password") setFieldError(err.message);
      else if (err instanceof ApiError && err.code === "invalid_token")
        setError("This link is invalid, used or expired. Ask for a new one.");
      else setError(err instanceof ApiError ? err.message : "Something went wrong. Try again.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="page-narrow">
      <h1>Choose a new password</h1>
      {done ? (
        <>
          <p role="status" data-testid="reset-done">Your password was changed. Log in with your new password.</p>
          <button type="button" className="primary" onClick={onLogin}>Log in</button>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="reset-password">New password</label>
            <input id="reset-password" name="new_password" type="password" autoComplete="new-password" required
              value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={!!fieldError}
              aria-describedby="reset-password-error" />
            <p id="reset-password-error" className="field-error">{fieldError}</p>
          </div>
          {error && (
            <p role="alert" className="error-box">
              {error}{" "}
              <button type="button" className="link" onClick={onForgot}>Ask for a new link</button>
            </p>
          )}
          <button type="submit" className="primary" disabled={busy || !token}>Set the new password</button>
        </form>
      )}
    </main>
  );
}
