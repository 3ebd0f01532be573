/** Placeholder: this page is being built (issue "web console"). */
export function VariablesPage() {
  return (
    <section className="page">
      <h1>Variables</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
