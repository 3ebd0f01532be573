export function ConnectionEditorPage() {
  return (
    <section className="page">
      <h1>Connection</h1>
    </section>
  );
}
