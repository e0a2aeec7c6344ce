// The account page: the user's sessions (end one, log out everywhere), their data as a download,
// and deleting the account after typing the password again.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, ApiError, EXPORT_URL } from "../api/client";
import type { AuthSession } from "../api/types";
import { useSession } from "../state/session";
import { useToast } from "../state/toasts";

const when = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });

function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : when.format(date);
}

function SessionsPanel({ onAllEnded }: { onAllEnded: () => void }) {
  const toast = useToast();
  const [sessions, setSessions] = useState<AuthSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .sessions()
      .then((r) => { setSessions(r.sessions); setError(null); })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : "Your sessions could not be loaded."));
  }, []);
  useEffect(load, [load]);

  const end = async (session: AuthSession) => {
    try {
      await api.endSession(session.id);
      toast("success", "That session has ended.");
    } catch (e) {
      // Already gone (ended elsewhere, expired): the refreshed list shows it either way.
      if (!(e instanceof ApiError && e.status === 404)) toast("error", e instanceof ApiError ? e.message : "The session could not be ended.");
    }
    load();
  };

  const everywhere = async () => {
    try {
      await api.logoutEverywhere();
    } catch (e) {
      toast("error", e instanceof ApiError ? e.message : "Could not log out everywhere.");
      return;
    }
    onAllEnded();
  };

  return (
    <section className="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are logged in</h2>
      {error && <p role="alert" className="error-box">{error}</p>}
      {sessions === null && !error && <p className="muted" role="status">Loading…</p>}
      {sessions && (
        <ul className="sessions" aria-label="Sessions">
          {sessions.map((s) => (
            <li key={s.id} className="session" data-testid="session">
              <div>
                <strong>{s.user_agent || "Unknown device"}</strong>
                {s.current && <span className="badge current"> This device</span>}
                <p className="muted">
                  {s.address ?? "unknown address"} · started {formatWhen(s.created_at)} · last used {formatWhen(s.last_used_at)}
                </p>
              </div>
              {!s.current && (
                <button type="button" onClick={() => void end(s)} aria-label={`End session on ${s.user_agent || "unknown device"}`}>
                  End session
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => void everywhere()}>Log out everywhere</button>
    </section>
  );
}

function DeletePanel({ onDeleted }: { onDeleted: () => void }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!password) {
      setError("Type your password to confirm.");
      return;
    }
    setBusy(true);
    try {
      await api.deleteAccount(password);
      onDeleted();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Something went wrong. Try again.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <p>
        Your account, sessions, cart, reviews and recently viewed products are deleted. What you did in the shop
        stays only as anonymous counts. This cannot be undone.
      </p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="delete-password">Password</label>
          <input id="delete-password" type="password" autoComplete="current-password" value={password}
            onChange={(e) => setPassword(e.target.value)} aria-invalid={!!error} aria-describedby="delete-password-error" />
          <p id="delete-password-error" className="field-error">{error}</p>
        </div>
        <button type="submit" className="danger" disabled={busy}>Delete my account</button>
      </form>
    </section>
  );
}

export default function AccountPage({ onGone, onLogin }: { onGone: () => void; onLogin: () => void }) {
  const { user, ready, forget } = useSession();
  const toast = useToast();

  if (!ready) return <main id="main" className="dashboard"><p className="muted" role="status">Loading…</p></main>;
  if (!user) {
    return (
      <main id="main" className="dashboard">
        <section className="panel" role="alert">
          <h1>Your account</h1>
          <p>Log in to see your sessions, download your data or delete your account.</p>
          <button type="button" className="primary" onClick={onLogin}>Log in</button>
        </section>
      </main>
    );
  }

  const leave = (message: string) => {
    forget();
    toast("success", message);
    onGone();
  };

  return (
    <main id="main" className="dashboard account-page">
      <h1>Your account</h1>
      <p className="muted">
        {user.username}
        {user.email ? ` · ${user.email}` : ""}
      </p>
      <div className="dashboard-grid">
        <SessionsPanel onAllEnded={() => leave("You are logged out everywhere.")} />
        <section className="panel" aria-labelledby="export-title">
          <h2 id="export-title">Your data</h2>
          <p>Your profile, cart, reviews, activity, recently viewed products and sessions, as one JSON file.</p>
          <a className="button" href={EXPORT_URL} download>Download my data</a>
        </section>
        <DeletePanel onDeleted={() => leave("Your account has been deleted.")} />
      </div>
    </main>
  );
}
