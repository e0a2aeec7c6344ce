import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { api } from "./api/client";
import type { Product, Recommendations, SearchItem, SearchResponse } from "./api/types";
import { SearchBox } from "./components/SearchBox";
import { VerifyNotice } from "./components/VerifyNotice";
import { AdminsOnly } from "./dashboard/AdminsOnly";
import { sendEvent, type Origin } from "./lib/events";
import { parseState, serializeState, type PageState } from "./lib/urlState";
import { useSession } from "./state/session";
import { useToast } from "./state/toasts";
import { SearchPage } from "./views/SearchPage";

// Secondary views load on demand, keeping the first page's script small.
const ProductModal = lazy(() => import("./views/ProductModal"));
const CartDrawer = lazy(() => import("./views/CartDrawer"));
const AccountDialog = lazy(() => import("./views/AccountDialog"));
// The pages mailed links lead to (and the form that asks for a reset link).
const VerifyEmailPage = lazy(() => import("./views/VerifyEmailPage"));
const ResetPasswordPage = lazy(() => import("./views/ResetPasswordPage"));
const ForgotPasswordPage = lazy(() => import("./views/ForgotPasswordPage"));
// The dashboard carries recharts; only an admin who opens it downloads that chunk.
const DashboardPage = lazy(() => import("./dashboard/DashboardPage"));
const SynonymsPage = lazy(() => import("./admin/SynonymsPage"));
const RulesPage = lazy(() => import("./admin/RulesPage"));
const AccountPage = lazy(() => import("./views/AccountPage"));

// The search page's state is in the query string; the other pages are `/dashboard` and
// `/synonyms` and `/rules` (admins), `/account`, and those of the account links (`/verify-email`,
// `/reset-password`, `/forgot-password`).
function useUrlState(): [PageState, (next: PageState) => void, string, (path: string) => void] {
  const [state, setState] = useState(() => parseState(window.location.search));
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => {
      setState(parseState(window.location.search));
      setPath(window.location.pathname);
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const push = useCallback((next: PageState) => {
    const url = "/" + serializeState(next);
    if (url !== window.location.pathname + window.location.search) window.history.pushState(null, "", url);
    setState(next);
    setPath("/");
  }, []);
  const go = useCallback((to: string) => {
    if (to !== window.location.pathname) window.history.pushState(null, "", to);
    setPath(to);
  }, []);
  return [state, push, path, go];
}

const ACCOUNT_PAGES = new Set(["/verify-email", "/reset-password", "/forgot-password"]);

export function App() {
  const [state, push, path, go] = useUrlState();
  const { user, ready, cart, logout } = useSession();
  const onDashboard = path === "/dashboard";
  const onSynonyms = path === "/synonyms";
  const onRules = path === "/rules";
  const adminPage = onDashboard || onSynonyms || onRules;
  const onAccount = path === "/account";
  const accountPage = ACCOUNT_PAGES.has(path) ? path : null;
  const toast = useToast();
  const [account, setAccount] = useState<"login" | "signup" | null>(null);
  const [cartOpen, setCartOpen] = useState(false);
  const [recommendations, setRecommendations] = useState<Recommendations | null>(null);
  const origins = useRef(new Map<string, Origin>());

  const navigate = useCallback(
    (patch: Partial<PageState>, reset = false) => {
      const base: PageState = reset ? { q: state.q, page: 1 } : state;
      push({ ...base, page: 1, product: undefined, ...patch });
    },
    [state, push],
  );

  const loadRecommendations = useCallback(() => {
    api.recommendations(10).then(setRecommendations).catch(() => setRecommendations(null));
  }, []);
  useEffect(loadRecommendations, [loadRecommendations, user]);

  const openProduct = (sku: string, origin: Origin) => {
    origins.current.set(sku, origin);
    push({ ...state, product: sku });
  };

  const openResult = (item: SearchItem, result: SearchResponse) => {
    const origin = { search_id: result.search_id, position: item.position, query: state.q || undefined };
    sendEvent({ type: "click", sku: item.sku, ...origin });
    openProduct(item.sku, origin);
  };

  const openRecommended = (product: Product, position: number) => {
    const origin = { position };
    sendEvent({ type: "click", sku: product.sku, ...origin });
    openProduct(product.sku, origin);
  };

  const doLogout = async () => {
    await logout();
    toast("success", "You are logged out.");
  };

  return (
    <>
      <a href="#main" className="skip">Skip to results</a>
      <header className="topbar">
        <a href="/" className="logo" onClick={(e) => { e.preventDefault(); push({ q: "", page: 1 }); }}>
          Ecomsearch
        </a>
        <SearchBox
          initial={state.q}
          onSearch={(q) => navigate({ q }, true)}
          onCategory={(category) => navigate({ q: "", category }, true)}
        />
        <nav className="account" aria-label="Account">
          {user ? (
            <>
              {user.is_admin && (
                <a href="/dashboard" className="nav-link" aria-current={onDashboard ? "page" : undefined}
                  onClick={(e) => { e.preventDefault(); go("/dashboard"); }}>
                  Dashboard
                </a>
              )}
              {user.is_admin && (
                <a href="/synonyms" className="nav-link" aria-current={onSynonyms ? "page" : undefined}
                  onClick={(e) => { e.preventDefault(); go("/synonyms"); }}>
                  Synonyms
                </a>
              )}
              {user.is_admin && (
                <a href="/rules" className="nav-link" aria-current={onRules ? "page" : undefined}
                  onClick={(e) => { e.preventDefault(); go("/rules"); }}>
                  Rules
                </a>
              )}
              <a href="/account" className="nav-link" aria-current={onAccount ? "page" : undefined}
                onClick={(e) => { e.preventDefault(); go("/account"); }}>
                Account
              </a>
              <span className="hello" data-testid="username">{user.username}</span>
              <button type="button" onClick={doLogout}>Log out</button>
            </>
          ) : (
            <>
              <button type="button" onClick={() => setAccount("login")}>Log in</button>
              <button type="button" onClick={() => setAccount("signup")}>Sign up</button>
            </>
          )}
          <button type="button" className="primary" onClick={() => setCartOpen(true)} aria-label={`Cart, ${cart.total_items} items`}>
            Cart <span className="badge" data-testid="cart-count">{cart.total_items}</span>
          </button>
        </nav>
      </header>
      <VerifyNotice />
      {onAccount ? (
        <Suspense fallback={<main id="main" className="dashboard"><p className="muted" role="status">Loading…</p></main>}>
          <AccountPage onGone={() => push({ q: "", page: 1 })} onLogin={() => setAccount("login")} />
        </Suspense>
      ) : accountPage ? (
        <Suspense fallback={<main id="main" className="page-narrow"><p className="muted" role="status">Loading…</p></main>}>
          {accountPage === "/verify-email" && <VerifyEmailPage onContinue={() => push({ q: "", page: 1 })} />}
          {accountPage === "/reset-password" && (
            <ResetPasswordPage onLogin={() => setAccount("login")} onForgot={() => go("/forgot-password")} />
          )}
          {accountPage === "/forgot-password" && <ForgotPasswordPage />}
        </Suspense>
      ) : !adminPage ? (
        <SearchPage state={state} navigate={navigate} openResult={openResult} openRecommended={openRecommended}
          recommendations={recommendations} />
      ) : !ready ? (
        <main id="main" className="dashboard"><p className="muted" role="status">Loading…</p></main>
      ) : !user?.is_admin ? (
        <AdminsOnly loggedIn={user !== null} onLogin={() => setAccount("login")}
          page={onSynonyms ? "The synonyms page" : onRules ? "The rules page" : undefined} />
      ) : (
        <Suspense fallback={<main id="main" className="dashboard"><p className="muted" role="status">Loading…</p></main>}>
          {onSynonyms ? <SynonymsPage /> : onRules ? <RulesPage /> : <DashboardPage />}
        </Suspense>
      )}
      <Suspense fallback={null}>
        {state.product && (
          <ProductModal
            key={state.product}
            sku={state.product}
            origin={origins.current.get(state.product) ?? {}}
            onClose={() => push({ ...state, product: undefined })}
            onViewed={loadRecommendations}
            onLogin={() => setAccount("login")}
          />
        )}
        {cartOpen && <CartDrawer onClose={() => setCartOpen(false)} onLogin={() => { setCartOpen(false); setAccount("login"); }} />}
        {account && (
          <AccountDialog initialMode={account} onClose={() => setAccount(null)} onForgot={() => go("/forgot-password")} />
        )}
      </Suspense>
    </>
  );
}
