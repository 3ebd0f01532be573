/** Placeholder: this page is being built (issue "web console"). */
export function CertificatesPage() {
  return (
    <section className="page">
      <h1>Certificates</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
