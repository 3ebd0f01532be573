/** Placeholder: this page is being built (issue "web console"). */
export function SecretsPage() {
  return (
    <section className="page">
      <h1>Secrets</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
