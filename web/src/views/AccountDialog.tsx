import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, ApiError } from "../api/client";
import { useSession } from "../state/session";
import { useToast } from "../state/toasts";

type Mode = "login" | "signup";
type Field = "username" | "password" | "email";

export default function AccountDialog({ initialMode, onClose, onForgot }: {
  initialMode: Mode;
  onClose: () => void;
  onForgot?: () => void;
}) {
  const { setUser } = useSession();
  const toast = useToast();
  const [mode, setMode] = useState<Mode>(initialMode);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<Partial<Record<Field | "form", string>>>({});
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) {
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
    }
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setBusy(true);
    try {
      const result = mode === "login" ? await api.login(username, password) : await api.signup(username, password, email || undefined);
      setUser(result.user);
      toast("success", mode === "login" ? `Welcome back, ${result.user.username}.` : `Welcome, ${result.user.username}.`);
      onClose();
    } catch (err) {
      if (err instanceof ApiError) {
        const field = err.field as Field | null;
        const known = field === "username" || field === "password" || field === "email";
        setErrors(known ? { [field]: err.message } : { form: err.message });
      } else {
        setErrors({ form: "Something went wrong. Try again." });
      }
    } finally {
      setBusy(false);
    }
  };

  const input = (id: Field, label: string, value: string, set: (v: string) => void, type: string, autoComplete: string) => (
    <div className="field">
      <label htmlFor={`account-${id}`}>{label}</label>
      <input id={`account-${id}`} name={id} type={type} value={value} autoComplete={autoComplete}
        onChange={(e) => set(e.target.value)} aria-invalid={!!errors[id]} aria-describedby={`account-${id}-error`}
        required={id !== "email"} />
      <p id={`account-${id}-error`} className="field-error">{errors[id]}</p>
    </div>
  );

  return (
    <dialog ref={dialog} className="modal narrow" aria-labelledby="account-title" onClose={onClose} onCancel={onClose}>
      <div className="modal-head">
        <h2 id="account-title">{mode === "login" ? "Log in" : "Create an account"}</h2>
        <button type="button" className="icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <form onSubmit={submit} noValidate>
        {input("username", mode === "login" ? "Username or email" : "Username", username, setUsername, "text", "username")}
        {mode === "signup" && input("email", "Email (optional)", email, setEmail, "email", "email")}
        {input("password", "Password", password, setPassword, "password", mode === "login" ? "current-password" : "new-password")}
        {mode === "login" && onForgot && (
          <p className="forgot">
            <button type="button" className="link" onClick={() => { onClose(); onForgot(); }}>Forgot password?</button>
          </p>
        )}
        {errors.form && <p role="alert" className="error-box">{errors.form}</p>}
        <button type="submit" className="primary" disabled={busy}>
          {mode === "login" ? "Log in" : "Sign up"}
        </button>
      </form>
      <p>
        {mode === "login" ? "New here? " : "Have an account? "}
        <button type="button" className="link" onClick={() => { setMode(mode === "login" ? "signup" : "login"); setErrors({}); }}>
          {mode === "login" ? "Create an account" : "Log in"}
        </button>
      </p>
    </dialog>
  );
}
