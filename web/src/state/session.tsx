// Who is logged in and their cart. Both live on the server; the app only mirrors them, so a
// reload or a new login finds the same cart.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, ApiError } from "../api/client";
import type { Cart, User } from "../api/types";
import { useToast } from "./toasts";

const EMPTY_CART: Cart = { items: [], total_items: 0, total_price: 0 };

interface Session {
  user: User | null;
  ready: boolean;
  cart: Cart;
  setUser: (user: User | null) => void;
  setCart: (cart: Cart) => void;
  refreshCart: () => Promise<void>;
  logout: () => Promise<void>;
  /** Forget the user here after the server has ended their session (deleted, logged out everywhere). */
  forget: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const toast = useToast();
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  const [cart, setCart] = useState<Cart>(EMPTY_CART);

  useEffect(() => {
    api
      .me()
      .then((r) => setUser(r.user))
      .catch(() => setUser(null))
      .finally(() => setReady(true));
  }, []);

  const refreshCart = useCallback(async () => {
    if (!user) {
      setCart(EMPTY_CART);
      return;
    }
    try {
      setCart(await api.cart());
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) toast("error", "Your cart could not be loaded.");
    }
  }, [user, toast]);

  useEffect(() => {
    void refreshCart();
  }, [refreshCart]);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setUser(null);
      setCart(EMPTY_CART);
    }
  }, []);

  const forget = useCallback(() => {
    setUser(null);
    setCart(EMPTY_CART);
  }, []);

  const value = useMemo(
    () => ({ user, ready, cart, setUser, setCart, refreshCart, logout, forget }),
    [user, ready, cart, refreshCart, logout, forget],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
