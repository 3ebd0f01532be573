/** Placeholder: this page is being built (issue "web console"). */
export function EnvironmentsPage() {
  return (
    <section className="page">
      <h1>Environments</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
