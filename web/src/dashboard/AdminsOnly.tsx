// Shown instead of the dashboard to anyone who is not an administrator (kept out of the lazy
// chunk, so a shopper never downloads the charts).
export function AdminsOnly({ loggedIn, onLogin, page = "The analytics dashboard" }: { loggedIn: boolean; onLogin?: () => void; page?: string }) {
  return (
    <main id="main" className="dashboard">
      <section className="panel admins-only" role="alert">
        <h1>Admins only</h1>
        <p>
          {page} is for the shop's administrators.{" "}
          {loggedIn ? "Your account is not an administrator." : "Log in with an administrator account to see it."}
        </p>
        {!loggedIn && onLogin && <button type="button" className="primary" onClick={onLogin}>Log in</button>}
        <p><a href="/">Back to the shop</a></p>
      </section>
    </main>
  );
}
