/** Placeholder: this page is being built (issue "web console"). */
export function AccountPage() {
  return (
    <section className="page">
      <h1>Your account</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
