/** Placeholder: this page is being built (issue "web console"). */
export function ConnectionPage() {
  return (
    <section className="page">
      <h1>Connection</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
