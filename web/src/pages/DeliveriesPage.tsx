/** Placeholder: this page is being built (issue "web console"). */
export function DeliveriesPage() {
  return (
    <section className="page">
      <h1>Deliveries</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
