/** Placeholder: this page is being built (issue "web console"). */
export function UsersPage() {
  return (
    <section className="page">
      <h1>Users</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
