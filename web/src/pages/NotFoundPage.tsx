import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>
        Nothing lives at this address. <Link to="/connections">Back to the connections</Link>.
      </p>
    </section>
  );
}
