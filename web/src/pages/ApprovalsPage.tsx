/** Placeholder: this page is being built (issue "web console"). */
export function ApprovalsPage() {
  return (
    <section className="page">
      <h1>Approvals</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
