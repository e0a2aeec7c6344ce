import { useState } from "react";
import { api, ApiError } from "../api/client";
import { useSession } from "../state/session";

/** For a logged-in user whose address is not verified yet: a reminder and a way to get a new link. */
export function VerifyNotice() {
  const { user } = useSession();
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  if (!user?.email || user.email_verified) return null;

  const resend = async () => {
    setBusy(true);
    try {
      await api.resendVerification();
      setMessage(`A new link is on its way to ${user.email}.`);
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : "The link could not be sent. Try again later.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="notice" role="region" aria-label="Email verification">
      <span>
        Please confirm your email address <strong>{user.email}</strong> with the link we mailed you
        (until then you can shop, but not write reviews).
      </span>{" "}
      <button type="button" className="link" onClick={resend} disabled={busy}>Send a new link</button>
      {message && <span role="status" className="notice-status"> {message}</span>}
    </div>
  );
}
