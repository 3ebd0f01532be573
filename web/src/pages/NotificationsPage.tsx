/** Placeholder: this page is being built (issue "web console"). */
export function NotificationsPage() {
  return (
    <section className="page">
      <h1>Notifications</h1>
      <p className="empty">This page is not built yet.</p>
    </section>
  );
}
