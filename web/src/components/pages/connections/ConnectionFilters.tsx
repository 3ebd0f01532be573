import { useEffect, useState } from 'react';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import type { Project } from '../../../../../src/contracts/projects.ts';
import { useDebounced } from '../../useDebounced.ts';
import type { ListParams } from './listParams.ts';

/**
 * Search, Project, Environment, State, Health and Sort. The search box writes to the URL once
 * typing settles (250 ms), so every keystroke is neither a request nor a history entry.
 */
export function ConnectionFilters({
  list,
  set,
  projects,
  environments,
}: {
  list: ListParams;
  set(name: keyof ListParams, value: string): void;
  projects: Project[];
  environments: Environment[];
}) {
  const [search, setSearch] = useState(list.q);
  const settled = useDebounced(search, 250);
  useEffect(() => {
    if (settled !== list.q) set('q', settled);
    // only a settled change of the box writes (not the URL's own changes echoed back)
  }, [settled]);

  return (
    <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <div className="field grow">
        <label htmlFor="filter-search">Search by name, URL host or description</label>
        <input
          id="filter-search"
          type="search"
          value={search}
          placeholder="e.g. Slack or hooks.slack.com"
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-scope">Project</label>
        <select id="filter-scope" value={list.scope} onChange={(e) => set('scope', e.target.value)}>
          <option value="all">All projects and global</option>
          <option value="project">All projects, no global</option>
          <option value="global">Global only</option>
          {projects.map((project) => (
            <option key={project.id} value={`p:${project.id}`}>
              {project.name} (and global)
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-environment">Environment</label>
        <select
          id="filter-environment"
          value={list.environment}
          onChange={(event) => set('environment', event.target.value)}
        >
          <option value="">Any</option>
          {environments.map((environment) => (
            <option key={environment.id} value={environment.id}>
              {environment.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-enabled">State</label>
        <select
          id="filter-enabled"
          value={list.enabled}
          onChange={(e) => set('enabled', e.target.value)}
        >
          <option value="">Any</option>
          <option value="true">Enabled</option>
          <option value="false">Disabled</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-health">Health</label>
        <select
          id="filter-health"
          value={list.health}
          onChange={(event) => set('health', event.target.value)}
        >
          <option value="">Any</option>
          <option value="failing">Failing</option>
          <option value="degraded">Some calls failed</option>
          <option value="ok">Healthy</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort</label>
        <select id="filter-sort" value={list.sort} onChange={(e) => set('sort', e.target.value)}>
          <option value="name">Name</option>
          <option value="updated">Last changed</option>
        </select>
      </div>
    </form>
  );
}
