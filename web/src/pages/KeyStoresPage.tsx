/** Placeholder: this page is being built (issue "web console"). */
export function KeyStoresPage() {
  return (
    <section className="page">
      <h1>Key stores</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
