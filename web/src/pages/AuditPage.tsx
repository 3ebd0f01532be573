/** Placeholder: this page is being built (issue "web console"). */
export function AuditPage() {
  return (
    <section className="page">
      <h1>Audit log</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
